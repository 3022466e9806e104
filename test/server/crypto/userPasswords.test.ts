import { parseOptions, verify } from '@node-rs/argon2';
import { describe, expect, it, vi } from 'vitest';
import {
  DUMMY_HASH,
  hashUserPassword,
  USER_PASSWORD_HASH_OPTIONS,
  verifyAgainstNothing,
  verifyUserPassword,
} from '../../../server/crypto/userPasswords.ts';

// argon2's verify, observed: the dummy verification must really run it (not a sleep, not a no-op).
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const real = await importOriginal<typeof import('@node-rs/argon2')>();
  return { ...real, verify: vi.fn(real.verify) };
});

describe('user passwords', () => {
  it('hashes with argon2id at the OWASP minimum parameters', async () => {
    const hashed = await hashUserPassword('s3cret-Passw0rd');
    expect(hashed.startsWith('$argon2id$')).toBe(true);
    expect(hashed).toContain('$m=19456,t=2,p=1$');
    expect(hashed).not.toContain('s3cret-Passw0rd');
    const options = parseOptions(hashed);
    expect(options.memoryCost).toBe(19456);
    expect(options.timeCost).toBe(2);
    expect(options.parallelism).toBe(1);
  });

  it('salts each hash', async () => {
    expect(await hashUserPassword('same')).not.toBe(await hashUserPassword('same'));
  });

  it('verifies the right password and rejects wrong ones', async () => {
    const hashed = await hashUserPassword('s3cret-Passw0rd');
    expect(await verifyUserPassword(hashed, 's3cret-Passw0rd')).toBe(true);
    expect(await verifyUserPassword(hashed, 's3cret-passw0rd')).toBe(false);
    expect(await verifyUserPassword(hashed, 's3cret-Passw0rd ')).toBe(false);
    expect(await verifyUserPassword(hashed, '')).toBe(false);
  });

  it('handles unicode and empty passwords', async () => {
    const hashed = await hashUserPassword('pässwörd🔑');
    expect(await verifyUserPassword(hashed, 'pässwörd🔑')).toBe(true);
    expect(await verifyUserPassword(await hashUserPassword(''), '')).toBe(true);
  });

  it('returns false, without throwing, for malformed hashes', async () => {
    const good = await hashUserPassword('pw');
    const malformed = [
      '',
      'not a hash',
      '$argon2id$',
      '$argon2id$v=19$m=19456,t=2,p=1$abc',
      '$argon2id$v=19$m=1,t=2,p=1$c29tZXNhbHQ$abc',
      good.slice(0, -10),
      `${good.slice(0, -1)}!`,
      '$2b$10$abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ01234',
      null as unknown as string,
      undefined as unknown as string,
    ];
    for (const hashed of malformed) {
      await expect(verifyUserPassword(hashed, 'pw')).resolves.toBe(false);
    }
  });

  it('DUMMY_HASH is a valid hash with the current parameters, so timing matches a real user', () => {
    const dummy = parseOptions(DUMMY_HASH);
    const current = parseOptions(`$argon2id$v=19$m=19456,t=2,p=1$Ow87eLxNljbVoEjjHKUoyQ$${'A'.repeat(43)}`);
    expect(DUMMY_HASH.startsWith('$argon2id$')).toBe(true);
    expect(dummy).toEqual(current);
    expect(dummy.memoryCost).toBe(USER_PASSWORD_HASH_OPTIONS.memoryCost);
    expect(dummy.timeCost).toBe(USER_PASSWORD_HASH_OPTIONS.timeCost);
    expect(dummy.parallelism).toBe(USER_PASSWORD_HASH_OPTIONS.parallelism);
  });

  it('verifyAgainstNothing always answers false after doing the work', async () => {
    for (const password of ['', 'admin', 'password', 'x'.repeat(1000)]) {
      await expect(verifyAgainstNothing(password)).resolves.toBe(false);
    }
    // It really runs argon2, against a hash of the same cost as a real user's.
    vi.mocked(verify).mockClear();
    await verifyAgainstNothing('guess');
    expect(verify).toHaveBeenCalledExactlyOnceWith(DUMMY_HASH, 'guess');
    await expect(vi.mocked(verify).mock.results[0]!.value).resolves.toBe(false);
  });
});
