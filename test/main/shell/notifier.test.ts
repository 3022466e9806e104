import { describe, expect, it } from 'vitest';
import { actionIdAt, notificationOptions } from '../../../main/shell/notifier.ts';

const request = {
  id: 'approval:3f2504e0-4f89-11d3-9a0c-0305e82c3301',
  title: 'Request from alice',
  body: 'db-prod root — 60 min — "incident 42"',
  actions: [
    { id: 'approve', label: 'Approve' },
    { id: 'deny', label: 'Deny' },
  ],
};

describe('notification options', () => {
  it('offers Approve/Deny buttons on macOS and Windows', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      expect(notificationOptions(request, platform).actions).toEqual([
        { type: 'button', text: 'Approve' },
        { type: 'button', text: 'Deny' },
      ]);
    }
  });

  it('offers no button on Linux (click only)', () => {
    expect(notificationOptions(request, 'linux').actions).toBeUndefined();
  });

  it('offers the reply field (an approver’s message) where Electron has one: macOS and Windows', () => {
    const withReply = { ...request, replyPlaceholder: 'A message…' };
    for (const platform of ['darwin', 'win32'] as const) {
      expect(notificationOptions(withReply, platform)).toMatchObject({
        hasReply: true,
        replyPlaceholder: 'A message…',
      });
    }
    expect(notificationOptions(withReply, 'linux').hasReply).toBeUndefined();
    expect(notificationOptions(request, 'darwin').hasReply).toBeUndefined();
  });

  it('carries the title and body, and the id as the replace tag where it fits', () => {
    const options = notificationOptions(request, 'win32');
    expect(options).toMatchObject({ title: request.title, body: request.body, id: request.id });
    expect(notificationOptions({ ...request, id: 'x'.repeat(65) }, 'win32').id).toBeUndefined();
  });

  it('maps a button index back to its action id, and ignores an index it did not offer', () => {
    expect(actionIdAt(request, 0)).toBe('approve');
    expect(actionIdAt(request, 1)).toBe('deny');
    expect(actionIdAt(request, 2)).toBeNull();
    expect(actionIdAt({ ...request, actions: undefined }, 0)).toBeNull();
  });
});
