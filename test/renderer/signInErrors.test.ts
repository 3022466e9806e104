/** Devolutions Server's sign-in refusals (client/dvlsSignIn.ts codes) get their own words, in both languages. */
import { describe, expect, it } from 'vitest';
import { CoffreError } from '../../renderer/src/api.ts';
import { signInErrorKey } from '../../renderer/src/components/AuthForm.tsx';
import en from '../../renderer/src/i18n/en.json';
import fr from '../../renderer/src/i18n/fr.json';

const lookup = (catalogue: Record<string, unknown>, key: string) =>
  key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], catalogue);

describe('sign-in errors of a DVLS server', () => {
  it.each([
    ['dvls_wrong_password', 'unauthorized', 'signIn.errorCredentials'],
    ['dvls_locked', 'unauthorized', 'signIn.errorLocked'],
    ['dvls_disabled', 'unauthorized', 'signIn.errorDisabled'],
    ['dvls_license', 'unauthorized', 'signIn.errorLicense'],
    ['dvls_two_factor', 'unsupported', 'signIn.errorTwoFactor'],
    ['session_key_lost', 'unauthorized', 'signIn.errorSessionKeyLost'],
  ] as const)('%s → %s', (code, kind, key) => {
    expect(signInErrorKey(new CoffreError({ kind, code, message: 'from the server' }))).toBe(key);
    expect(lookup(en, key)).toEqual(expect.any(String));
    expect(lookup(fr, key)).toEqual(expect.any(String));
    expect(lookup(fr, key)).not.toBe(lookup(en, key));
  });

  it('says plainly that two-factor authentication is not supported', () => {
    expect(lookup(en, 'signIn.errorTwoFactor')).toMatch(/two-factor.*not support/);
    expect(lookup(fr, 'signIn.errorTwoFactor')).toMatch(/deux facteurs.*ne prend pas en charge/);
  });
});
