import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const KEY_BYTES = 32;

export type MasterKeySource = 'env' | 'file-existing' | 'file-created';

export interface LoadedMasterKey {
  key: Buffer;
  source: MasterKeySource;
}

/**
 * The server's 32-byte master key, which seals stored credential passwords.
 *
 * - `env` (the value of COFFRE_MASTER_KEY), when set and not empty, must be base64/base64url or
 *   hex of exactly 32 bytes.
 * - Otherwise `keyFile` holds the key as base64. If it is missing, it is created (mode 0600, in a
 *   directory created with mode 0700) with 32 random bytes. Creation is atomic and never
 *   overwrites: if another process creates it first, that process's key is used.
 * - An existing key file readable or writable by group or others is refused.
 *
 * Error messages never contain the key material.
 */
export function loadMasterKey(options: { env?: string | undefined; keyFile: string }): LoadedMasterKey {
  const env = options.env?.trim();
  if (env) return { key: parseEnvKey(env), source: 'env' };

  const keyFile = path.resolve(options.keyFile);
  const existing = readKeyFile(keyFile);
  if (existing) return { key: existing, source: 'file-existing' };

  const created = createKeyFile(keyFile);
  if (created) return { key: created, source: 'file-created' };

  // Another process published the file between our read and our create: use its key.
  const raced = readKeyFile(keyFile);
  if (!raced) throw new Error(`Master key file ${keyFile} disappeared while it was being created.`);
  return { key: raced, source: 'file-existing' };
}

function parseEnvKey(value: string): Buffer {
  let key: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(value)) key = Buffer.from(value, 'hex');
  else key = decodeBase64Key(value);
  if (!key) {
    throw new Error(
      `COFFRE_MASTER_KEY must be ${KEY_BYTES} bytes encoded as base64 (44 characters) or hex (64 characters); ` +
        `the value given is neither. Generate one with: openssl rand -base64 ${KEY_BYTES}`,
    );
  }
  return key;
}

/** Base64 or base64url, padding optional, decoding to exactly KEY_BYTES; undefined otherwise. */
function decodeBase64Key(value: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) return undefined;
  const unpadded = value.replace(/=+$/, '');
  if (unpadded.length !== Math.ceil((KEY_BYTES * 4) / 3)) return undefined;
  const key = Buffer.from(unpadded.replace(/\+/g, '-').replace(/\//g, '_'), 'base64url');
  return key.length === KEY_BYTES ? key : undefined;
}

/** The key in `keyFile`, or undefined if the file does not exist. Throws on loose permissions or bad content. */
function readKeyFile(keyFile: string): Buffer | undefined {
  let fd: number;
  try {
    fd = fs.openSync(keyFile, 'r');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw new Error(`Cannot open master key file ${keyFile}: ${errorCode(error) ?? 'unknown error'}.`);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new Error(`Master key file ${keyFile} is not a regular file.`);
    // POSIX permission bits mean little on Windows, where this check would always fail.
    if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
      throw new Error(
        `Master key file ${keyFile} is accessible by other users (mode ${(stat.mode & 0o777).toString(8).padStart(3, '0')}). ` +
          `Restrict it with: chmod 600 ${keyFile}`,
      );
    }
    const key = decodeBase64Key(fs.readFileSync(fd, 'utf8').trim());
    if (!key) {
      throw new Error(`Master key file ${keyFile} does not contain base64 of ${KEY_BYTES} bytes.`);
    }
    return key;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Writes a new key to a private temporary file (flag 'wx', mode 0600), then publishes it with
 * link(), which is atomic and fails with EEXIST instead of replacing an existing file. Readers
 * therefore never see a partly written key file. Returns undefined if another process won the race.
 */
function createKeyFile(keyFile: string): Buffer | undefined {
  const dir = path.dirname(keyFile);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });

  const key = randomBytes(KEY_BYTES);
  const tmp = path.join(
    dir,
    `.${path.basename(keyFile)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
  writePrivateFile(tmp, `${key.toString('base64')}\n`);
  try {
    fs.linkSync(tmp, keyFile);
    return key;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return undefined;
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes(errorCode(error) ?? '')) throw error;
    // The file system has no hard links: fall back to exclusive creation of the file itself.
    try {
      writePrivateFile(keyFile, `${key.toString('base64')}\n`);
      return key;
    } catch (fallbackError) {
      if (errorCode(fallbackError) === 'EEXIST') return undefined;
      throw fallbackError;
    }
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

function writePrivateFile(file: string, content: string): void {
  const fd = fs.openSync(file, 'wx', 0o600);
  try {
    fs.writeFileSync(fd, content, 'utf8');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}
