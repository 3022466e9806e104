import { afterEach, describe, expect, it } from 'vitest';
import { api, CoffreError, hasBridge, toCoffreError } from '../../renderer/src/api.ts';
import { FakeFailure, installFakeCoffre, removeFakeCoffre } from './support/fakeCoffre.ts';

afterEach(() => removeFakeCoffre());

describe('api: envelopes to values or CoffreError', () => {
  it('answers the value of an ok envelope, passing the arguments through', async () => {
    const fake = installFakeCoffre({ 'checkouts:extend': (args) => ({ echoed: args }) });
    await expect(api.checkouts.extend({ id: 'x', minutes: 5 })).resolves.toEqual({
      echoed: { id: 'x', minutes: 5 },
    });
    expect(fake.callsTo('checkouts:extend')).toEqual([{ id: 'x', minutes: 5 }]);
  });

  it('throws a CoffreError carrying kind, code and message of an error envelope', async () => {
    installFakeCoffre({
      'session:signIn': () => {
        throw new FakeFailure('unauthorized', 'bad_credentials', 'Wrong password.');
      },
    });
    const error = await api.session
      .signIn({
        profile: { id: 'p', name: 'n', url: 'http://x', dialect: 'checkout' },
        username: 'u',
        password: 'p',
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CoffreError);
    expect(error).toMatchObject({
      kind: 'unauthorized',
      code: 'bad_credentials',
      message: 'Wrong password.',
    });
  });

  it("turns a transport failure (the bridge's promise rejects) into an 'internal' error", async () => {
    installFakeCoffre({
      'vaults:list': () => {
        throw new Error('channel closed');
      },
    });
    await expect(api.vaults.list()).rejects.toMatchObject({ kind: 'internal', code: 'bridge_failed' });
  });

  it('says the bridge is missing instead of crashing when window.coffre is absent', async () => {
    removeFakeCoffre();
    expect(hasBridge()).toBe(false);
    await expect(api.session.getState()).rejects.toMatchObject({ kind: 'internal', code: 'bridge_missing' });
    expect(() => api.onEvent(() => undefined)).toThrow(CoffreError);
  });

  it('subscribes to events and unsubscribes with the returned function', () => {
    const fake = installFakeCoffre();
    const seen: string[] = [];
    const off = api.onEvent((event) => seen.push(event.type));
    fake.emit({ type: 'checkouts.changed' });
    off();
    fake.emit({ type: 'checkouts.changed' });
    expect(seen).toEqual(['checkouts.changed']);
    expect(fake.listenerCount()).toBe(0);
  });

  it('keeps a CoffreError as is and wraps anything else', () => {
    const original = new CoffreError({ kind: 'tls', code: 'cert', message: 'm' });
    expect(toCoffreError(original)).toBe(original);
    expect(toCoffreError('boom')).toMatchObject({ kind: 'internal', message: 'boom' });
  });
});
