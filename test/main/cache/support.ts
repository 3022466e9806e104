import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SecretBoxPort } from '../../../client/ports.ts';
import type { Checkout, Credential, Vault } from '../../../common/checkout.ts';
import { CheckoutStatus } from '../../../common/checkout.ts';
import { DEFAULT_POLICY } from '../../../common/policy.ts';

export interface FakeKeyring extends SecretBoxPort {
  /** Every plaintext handed to encrypt (the data keys it wrapped). */
  wrapped: Buffer[];
  setState(state: 'os' | 'basic_text' | 'unavailable'): void;
}

/**
 * The OS keychain as a real AES-256-GCM key held in memory: two keyrings do not open each other's
 * values (decrypt throws), as when the user's keychain is reset or the profile moves machines.
 */
export function fakeKeyring(
  options: { state?: 'os' | 'basic_text' | 'unavailable'; key?: Buffer; refuseEncrypt?: boolean } = {},
): FakeKeyring {
  const key = options.key ?? randomBytes(32);
  let state = options.state ?? 'os';
  const wrapped: Buffer[] = [];
  return {
    wrapped,
    setState(next) {
      state = next;
    },
    state: () => state,
    encrypt(plain) {
      if (options.refuseEncrypt) throw new Error('keychain locked');
      wrapped.push(Buffer.from(plain));
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([iv, body, cipher.getAuthTag()]);
    },
    decrypt(sealed) {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(sealed.length - 16));
      return Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]);
    },
  };
}

export function tempDir(): { dir: string; file: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-cache-test-'));
  return {
    dir,
    file: path.join(dir, 'cache.db'),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

export const guid = (group: number, n: number) =>
  `${group.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export const VAULT_A = guid(0xa, 1);
export const VAULT_B = guid(0xa, 2);

let serial = 0;
export function credential(fields: Partial<Credential> = {}): Credential {
  serial++;
  return {
    id: guid(0xc, serial),
    vaultID: VAULT_A,
    name: `credential ${serial}`,
    username: 'user',
    host: 'host.example.com',
    description: '',
    policy: DEFAULT_POLICY,
    checkout: null,
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...fields,
  };
}

export function vault(fields: Partial<Vault> = {}): Vault {
  serial++;
  return { id: guid(0xa, 1000 + serial), name: `vault ${serial}`, description: '', ...fields };
}

export function checkout(fields: Partial<Checkout> = {}): Checkout {
  serial++;
  return {
    id: guid(0xd, serial),
    userID: guid(0xe, 1),
    username: 'alice',
    credentialID: guid(0xc, 1),
    credentialName: 'db',
    approverID: null,
    approverName: null,
    reason: '',
    approverMessage: '',
    status: CheckoutStatus.Active,
    duration: 60,
    requestDateTime: '2025-01-01T00:00:00.000Z',
    scheduledStart: null,
    checkoutDateTime: null,
    checkInDateTime: null,
    expiresAt: null,
    ...fields,
  };
}

/** Every file of the cache (database, -wal, -shm) as bytes. */
export function cacheFileBytes(file: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    if (fs.existsSync(file + suffix)) files.set(path.basename(file + suffix), fs.readFileSync(file + suffix));
  }
  return files;
}

/** Where `needle` appears in any of the files, as UTF-8 or UTF-16 (SQLite can store either). */
export function findInFiles(files: Map<string, Buffer>, needle: string): string[] {
  const found: string[] = [];
  for (const [name, bytes] of files) {
    if (bytes.includes(Buffer.from(needle, 'utf8')) || bytes.includes(Buffer.from(needle, 'utf16le'))) {
      found.push(name);
    }
  }
  return found;
}
