/**
 * The cache's data key (main/cache/dataKey.ts) on its own: how it is wrapped and stored, every way
 * unwrapping it fails (each with its own error), the upgrade from the Linux fallback to the OS
 * keychain (never downwards), and the raw key bytes zeroed after use. Written against the mutants
 * that survived the cache tests (which rebuild the cache whatever the failure; docs/mutation.md,
 * scope cache-cipher).
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SecretBoxPort } from '../../../client/ports.ts';
import {
  createDataKey,
  DataKeyUnavailableError,
  DataKeyWrapError,
  hasDataKey,
  keyringState,
  protectionFor,
  unlockDataKey,
} from '../../../main/cache/dataKey.ts';
import { CACHE_MIGRATIONS } from '../../../main/cache/migrations.ts';
import { RowCipher } from '../../../main/cache/rowCipher.ts';
import { fakeKeyring, fakeTime } from '../../support/fakes.ts';

const KEY_CHECK_AAD = 'keyring.key_check:1';
const KEY_CHECK = 'coffre cache data key v1';

let db: Database.Database;
beforeEach(() => {
  db = new Database(':memory:');
  db.exec(CACHE_MIGRATIONS[0]!);
});
afterEach(() => {
  db.close();
  vi.restoreAllMocks();
});

const { clock } = fakeTime('2026-01-02T03:04:05Z');
const row = () =>
  db.prepare('SELECT protection, wrapped, key_check, created_at FROM keyring WHERE id = 1').get() as {
    protection: string;
    wrapped: Buffer | null;
    key_check: Buffer;
    created_at: number;
  };

/** A keyring that remembers the very buffers it was handed and returned (to see them zeroed). */
function watchedKeyring(state: 'os' | 'basic_text' = 'os') {
  const inner = fakeKeyring({ state });
  const handed: Buffer[] = [];
  const unwrapped: Buffer[] = [];
  const keyring: SecretBoxPort & { setState(state: 'os' | 'basic_text' | 'unavailable'): void } = {
    state: () => inner.state(),
    setState: (next) => inner.setState(next),
    encrypt(plain) {
      handed.push(plain);
      return inner.encrypt(plain);
    },
    decrypt(sealed) {
      const plain = inner.decrypt(sealed);
      unwrapped.push(plain);
      return plain;
    },
  };
  return { keyring, handed, inner, unwrapped };
}

function unavailable(open: () => unknown): DataKeyUnavailableError {
  try {
    open();
  } catch (error) {
    expect(error).toBeInstanceOf(DataKeyUnavailableError);
    expect((error as Error).name).toBe('DataKeyUnavailableError');
    return error as DataKeyUnavailableError;
  }
  throw new Error('the key was unlocked');
}

describe('the keyring state', () => {
  it('is os or basic_text as safeStorage says, anything else or a throw is unavailable', () => {
    const says = (state: unknown) => keyringState({ state: () => state } as unknown as SecretBoxPort);
    expect(says('os')).toBe('os');
    expect(says('basic_text')).toBe('basic_text');
    expect(says('unknown')).toBe('unavailable');
    expect(
      keyringState({
        state: () => {
          throw new Error('before app ready');
        },
      } as unknown as SecretBoxPort),
    ).toBe('unavailable');
    expect(protectionFor('unavailable')).toBe('memory');
    expect(protectionFor('os')).toBe('os');
    expect(protectionFor('basic_text')).toBe('basic_text');
  });
});

describe('creating the data key', () => {
  it('stores it wrapped by the keyring, with the sealed check value and the time, and zeroes the raw bytes', () => {
    const generated: Buffer[] = [];
    const generate = RowCipher.generateKey;
    vi.spyOn(RowCipher, 'generateKey').mockImplementation(() => {
      const key = generate();
      generated.push(key);
      return key;
    });
    const { keyring, handed, inner } = watchedKeyring();
    expect(hasDataKey(db)).toBe(false);
    const cipher = createDataKey(db, keyring, 'os', clock);
    expect(hasDataKey(db)).toBe(true);
    const stored = row();
    expect(stored.protection).toBe('os');
    expect(stored.created_at).toBe(clock.now());
    expect(inner.decrypt(stored.wrapped!).equals(cipher.exportKey())).toBe(true);
    expect(cipher.openText(stored.key_check, KEY_CHECK_AAD)).toBe(KEY_CHECK);
    // The generated key and the export handed to the keyring are zeroed once used.
    expect(generated).toHaveLength(1);
    expect(generated[0]!.every((byte) => byte === 0)).toBe(true);
    expect(handed).toHaveLength(1);
    expect(handed[0]!.every((byte) => byte === 0)).toBe(true);
  });

  it('in memory: nothing wrapped, the keyring not asked', () => {
    const { keyring, handed } = watchedKeyring();
    createDataKey(db, keyring, 'memory', clock);
    expect(row()).toMatchObject({ protection: 'memory', wrapped: null });
    expect(handed).toEqual([]);
  });

  it('a refusing keyring: a DataKeyWrapError, and the raw key zeroed all the same', () => {
    const handed: Buffer[] = [];
    const keyring = {
      state: () => 'os' as const,
      encrypt(plain: Buffer): Buffer {
        handed.push(plain);
        throw new Error('keychain locked');
      },
      decrypt: (sealed: Buffer) => sealed,
    };
    let error: unknown;
    try {
      createDataKey(db, keyring, 'os', clock);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(DataKeyWrapError);
    expect((error as Error).name).toBe('DataKeyWrapError');
    expect((error as Error).message).toBe('The system keyring refused to protect the cache key.');
    expect(handed[0]!.every((byte) => byte === 0)).toBe(true);
  });

  it('a second key replaces the first (one row)', () => {
    const { keyring } = watchedKeyring();
    createDataKey(db, keyring, 'os', clock);
    const second = createDataKey(db, keyring, 'os', clock);
    expect((db.prepare('SELECT COUNT(*) AS n FROM keyring').get() as { n: number }).n).toBe(1);
    expect(unlockDataKey(db, keyring, 'os').cipher.exportKey().equals(second.exportKey())).toBe(true);
  });
});

describe('unlocking the data key', () => {
  it('gives the cipher the cache was written with, and zeroes its copy of the unwrapped bytes', () => {
    const { keyring, unwrapped } = watchedKeyring();
    const created = createDataKey(db, keyring, 'os', clock);
    const copies: Buffer[] = [];
    const from = Buffer.from.bind(Buffer) as (...args: unknown[]) => Buffer;
    vi.spyOn(Buffer, 'from').mockImplementation(((...args: unknown[]) => {
      const made = from(...args);
      if (unwrapped.includes(args[0] as Buffer)) copies.push(made);
      return made;
    }) as typeof Buffer.from);
    const { cipher, protection } = unlockDataKey(db, keyring, 'os');
    vi.restoreAllMocks();
    expect(protection).toBe('os');
    expect(cipher.exportKey().equals(created.exportKey())).toBe(true);
    expect(copies).toHaveLength(1);
    expect(copies.every((copy) => copy.every((byte) => byte === 0))).toBe(true);
  });

  it('no key stored, a key kept in memory only, or an unknown protection: "not stored"', () => {
    const { keyring } = watchedKeyring();
    expect(unavailable(() => unlockDataKey(db, keyring, 'os')).message).toBe('The cache key was not stored.');
    createDataKey(db, keyring, 'memory', clock);
    expect(unavailable(() => unlockDataKey(db, keyring, 'os')).message).toBe('The cache key was not stored.');
    createDataKey(db, keyring, 'os', clock);
    db.prepare("UPDATE keyring SET protection = 'something else'").run();
    expect(unavailable(() => unlockDataKey(db, keyring, 'os')).message).toBe('The cache key was not stored.');
  });

  it('a keyring that cannot unwrap it: its own message', () => {
    createDataKey(db, watchedKeyring().keyring, 'os', clock);
    const other = fakeKeyring();
    expect(unavailable(() => unlockDataKey(db, other, 'os')).message).toBe(
      'The system keyring could not unwrap the cache key.',
    );
  });

  it('an unwrapped key that is not the right one, or a check value that says something else: refused', () => {
    const { keyring, inner } = watchedKeyring();
    const created = createDataKey(db, keyring, 'os', clock);
    const wrong = 'The unwrapped cache key is not the one the cache was written with.';
    // Another 32-byte key, and a key of the wrong length.
    for (const key of [RowCipher.generateKey(), Buffer.alloc(16, 1)]) {
      db.prepare('UPDATE keyring SET wrapped = ?').run(inner.encrypt(key));
      expect(unavailable(() => unlockDataKey(db, keyring, 'os')).message).toBe(wrong);
    }
    // The right key, but a check value sealed from another text.
    db.prepare('UPDATE keyring SET wrapped = ?, key_check = ?').run(
      inner.encrypt(created.exportKey()),
      created.seal('another text', KEY_CHECK_AAD),
    );
    expect(unavailable(() => unlockDataKey(db, keyring, 'os')).message).toBe(wrong);
  });

  it('a key wrapped by the Linux fallback is wrapped again by the OS keychain once there is one', () => {
    const { keyring, handed, inner } = watchedKeyring('basic_text');
    const created = createDataKey(db, keyring, 'basic_text', clock);
    expect(unlockDataKey(db, keyring, 'basic_text').protection).toBe('basic_text');
    expect(handed).toHaveLength(1);
    keyring.setState('os');
    expect(unlockDataKey(db, keyring, 'os').protection).toBe('os');
    expect(row().protection).toBe('os');
    expect(inner.decrypt(row().wrapped!).equals(created.exportKey())).toBe(true);
    expect(handed).toHaveLength(2);
  });

  it('never downwards, and not again when already under the OS keychain', () => {
    const { keyring, handed } = watchedKeyring('os');
    createDataKey(db, keyring, 'os', clock);
    expect(unlockDataKey(db, keyring, 'os').protection).toBe('os');
    expect(unlockDataKey(db, keyring, 'basic_text').protection).toBe('os');
    expect(row().protection).toBe('os');
    expect(handed).toHaveLength(1);
  });

  it('an upgrade the keychain refuses leaves the key as it was, readable; another failure is thrown', () => {
    const { keyring, inner } = watchedKeyring('basic_text');
    createDataKey(db, keyring, 'basic_text', clock);
    const refusing = {
      ...keyring,
      state: () => 'os' as const,
      encrypt: () => {
        throw new Error('locked');
      },
    };
    expect(unlockDataKey(db, refusing, 'os').protection).toBe('basic_text');
    expect(row().protection).toBe('basic_text');
    db.exec("CREATE TRIGGER frozen BEFORE UPDATE ON keyring BEGIN SELECT RAISE(ABORT, 'frozen'); END;");
    const willing = {
      ...keyring,
      state: () => 'os' as const,
      encrypt: (plain: Buffer) => inner.encrypt(plain),
    };
    expect(() => unlockDataKey(db, willing, 'os')).toThrow(/frozen/);
  });
});
