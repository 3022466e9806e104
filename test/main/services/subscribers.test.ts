import { describe, expect, it } from 'vitest';
import { Subscribers } from '../../../main/services/subscribers.ts';

describe('Subscribers', () => {
  it('calls every listener in the order added, awaiting each', async () => {
    const subscribers = new Subscribers<[value: number]>();
    const calls: string[] = [];
    subscribers.add(async (value) => {
      await new Promise((resolve) => setImmediate(resolve));
      calls.push(`first ${value}`);
    });
    subscribers.add((value) => {
      calls.push(`second ${value}`);
    });
    await subscribers.notify(7);
    expect(calls).toEqual(['first 7', 'second 7']);
  });

  it('each cleanup removes its own subscription only, even for the same function added twice', async () => {
    const subscribers = new Subscribers<[]>();
    let calls = 0;
    const listener = () => {
      calls++;
    };
    const leave = subscribers.add(listener);
    subscribers.add(listener);
    leave();
    leave();
    await subscribers.notify();
    expect(calls).toBe(1);
  });

  it('a listener failing fails the notification (the caller sees it)', async () => {
    const subscribers = new Subscribers<[]>();
    subscribers.add(() => {
      throw new Error('boom');
    });
    await expect(subscribers.notify()).rejects.toThrow('boom');
  });
});
