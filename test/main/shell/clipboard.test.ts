import { describe, expect, it } from 'vitest';
import { clipboardItemData, concealmentFormats, osClipboardFormat } from '../../../main/shell/clipboard.ts';

const raw = osClipboardFormat;

describe('concealed clipboard writes', () => {
  it('excludes the password from monitors, Win+V history and cloud sync on Windows', () => {
    const formats = concealmentFormats('win32');
    expect(Object.keys(formats).sort()).toEqual(
      [
        raw('CanIncludeInClipboardHistory'),
        raw('CanUploadToCloudClipboard'),
        raw('ExcludeClipboardContentFromMonitorProcessing'),
      ].sort(),
    );
    // The two "Can…" formats are DWORD 0 (= no).
    expect([...(formats[raw('CanIncludeInClipboardHistory')] ?? [])]).toEqual([0, 0, 0, 0]);
    expect([...(formats[raw('CanUploadToCloudClipboard')] ?? [])]).toEqual([0, 0, 0, 0]);
  });

  it('marks it org.nspasteboard.ConcealedType on macOS', () => {
    expect(Object.keys(concealmentFormats('darwin'))).toEqual([raw('org.nspasteboard.ConcealedType')]);
  });

  it('sets x-kde-passwordManagerHint=secret on Linux', () => {
    const formats = concealmentFormats('linux');
    expect(Object.keys(formats)).toEqual([raw('x-kde-passwordManagerHint')]);
    expect(new TextDecoder().decode(formats[raw('x-kde-passwordManagerHint')])).toBe('secret');
  });

  it('uses Electron’s raw OS format syntax', () => {
    expect(raw('x')).toBe('electron application/osclipboard;format="x"');
  });

  it('writes the text and the markers as one item (one atomic write)', () => {
    const data = clipboardItemData('pa55word', true, 'win32');
    expect(data['text/plain']).toBe('pa55word');
    expect(Object.keys(data)).toHaveLength(4);
  });

  it('adds no marker to a plain write, and never copies the secret into a marker', () => {
    expect(clipboardItemData('hello', false, 'darwin')).toEqual({ 'text/plain': 'hello' });
    for (const platform of ['win32', 'darwin', 'linux'] as const) {
      const data = clipboardItemData('pa55word', true, platform);
      for (const [type, payload] of Object.entries(data)) {
        if (type === 'text/plain') continue;
        expect(new TextDecoder().decode(payload as Uint8Array)).not.toContain('pa55word');
      }
    }
  });
});
