import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Checkout, Credential, Vault } from '../../../common/checkout.ts';
import { CheckoutStatus } from '../../../common/checkout.ts';
import { DEFAULT_POLICY } from '../../../common/policy.ts';

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
