import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadMasterKey } from '../../../server/crypto/masterKey.ts';
import { runProcess } from '../../support/runProcess.ts';

const MODULE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../server/crypto/masterKey.ts',
);
const posix = process.platform !== 'win32';

let dir: string;
let keyFile: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-masterkey-'));
  keyFile = path.join(dir, 'nested', 'secrets', 'master.key');
});

afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return error as Error;
  }
  throw new Error('expected a throw');
}

function writeKeyFile(file: string, key: Buffer, mode = 0o600): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, `${key.toString('base64')}\n`, { mode });
  fs.chmodSync(file, mode);
}

describe('loadMasterKey from COFFRE_MASTER_KEY', () => {
  const key = randomBytes(32);

  it('accepts base64, base64 without padding, base64url and hex of 32 bytes', () => {
    for (const env of [
      key.toString('base64'),
      key.toString('base64').replace(/=+$/, ''),
      key.toString('base64url'),
      key.toString('hex'),
      key.toString('hex').toUpperCase(),
      `  ${key.toString('base64')}\n`,
    ]) {
      const loaded = loadMasterKey({ env, keyFile });
      expect(loaded.source).toBe('env');
      expect(loaded.key.equals(key)).toBe(true);
    }
    expect(fs.existsSync(keyFile)).toBe(false);
  });

  it('rejects anything that is not 32 bytes, without echoing the value', () => {
    for (const env of [
      randomBytes(31).toString('base64'),
      randomBytes(33).toString('base64'),
      randomBytes(16).toString('base64'),
      randomBytes(31).toString('hex'),
      randomBytes(33).toString('hex'),
      `${key.toString('hex').slice(0, 63)}g`,
      `${key.toString('base64').slice(0, 43)}!`,
      `${key.toString('base64')}${key.toString('base64')}`,
      'hunter2-not-a-key',
      'correct horse battery staple correct horse!!',
    ]) {
      const error = thrown(() => loadMasterKey({ env, keyFile }));
      expect(error.message).toContain('COFFRE_MASTER_KEY');
      expect(error.message).not.toContain(env);
      expect(error.message).not.toContain(env.slice(0, 12));
    }
    expect(fs.existsSync(keyFile)).toBe(false);
  });

  it('treats an empty value as unset', () => {
    expect(loadMasterKey({ env: '', keyFile }).source).toBe('file-created');
    expect(loadMasterKey({ env: undefined, keyFile }).source).toBe('file-existing');
  });
});

describe('loadMasterKey from the key file', () => {
  it('creates the file with 32 random bytes, mode 0600, in a 0700 directory', () => {
    const loaded = loadMasterKey({ keyFile });
    expect(loaded.source).toBe('file-created');
    expect(loaded.key).toHaveLength(32);
    expect(Buffer.from(fs.readFileSync(keyFile, 'utf8').trim(), 'base64').equals(loaded.key)).toBe(true);
    if (posix) {
      expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(fs.statSync(path.dirname(keyFile)).mode & 0o777).toBe(0o700);
    }
    // No temporary files are left behind.
    expect(fs.readdirSync(path.dirname(keyFile))).toEqual(['master.key']);
  });

  it('reuses the same key on later calls', () => {
    const first = loadMasterKey({ keyFile });
    const second = loadMasterKey({ keyFile });
    const third = loadMasterKey({ env: undefined, keyFile });
    expect(second.source).toBe('file-existing');
    expect(third.source).toBe('file-existing');
    expect(second.key.equals(first.key)).toBe(true);
    expect(third.key.equals(first.key)).toBe(true);
  });

  it('creates different keys for different files', () => {
    const a = loadMasterKey({ keyFile });
    const b = loadMasterKey({ keyFile: path.join(dir, 'other.key') });
    expect(a.key.equals(b.key)).toBe(false);
  });

  it('reads a file written by someone else', () => {
    const key = randomBytes(32);
    writeKeyFile(keyFile, key);
    const loaded = loadMasterKey({ keyFile });
    expect(loaded.source).toBe('file-existing');
    expect(loaded.key.equals(key)).toBe(true);
  });

  it.skipIf(!posix)('rejects a key file that group or others can access, and says how to fix it', () => {
    const key = randomBytes(32);
    for (const mode of [0o644, 0o640, 0o604, 0o660, 0o606, 0o610]) {
      writeKeyFile(keyFile, key, mode);
      const error = thrown(() => loadMasterKey({ keyFile }));
      expect(error.message).toContain(`chmod 600 ${keyFile}`);
      expect(error.message).not.toContain(key.toString('base64'));
      fs.rmSync(keyFile);
    }
    writeKeyFile(keyFile, key, 0o400);
    expect(loadMasterKey({ keyFile }).key.equals(key)).toBe(true);
  });

  it('rejects a key file with bad content without echoing it', () => {
    for (const content of [
      '',
      'not base64 at all',
      randomBytes(16).toString('base64'),
      randomBytes(32).toString('hex'),
    ]) {
      fs.mkdirSync(path.dirname(keyFile), { recursive: true });
      fs.writeFileSync(keyFile, content, { mode: 0o600 });
      const error = thrown(() => loadMasterKey({ keyFile }));
      expect(error.message).toContain(keyFile);
      if (content) expect(error.message).not.toContain(content);
      // It never overwrites a file it cannot read.
      expect(fs.readFileSync(keyFile, 'utf8')).toBe(content);
    }
  });

  it('rejects a key path that is a directory', () => {
    fs.mkdirSync(keyFile, { recursive: true, mode: 0o700 });
    expect(() => loadMasterKey({ keyFile })).toThrow(/not a regular file/);
  });

  it('uses the key of a process that created the file first (EEXIST path)', () => {
    const theirs = randomBytes(32);
    const realLink = fs.linkSync;
    const link = vi.spyOn(fs, 'linkSync').mockImplementation((existing, target) => {
      // Another process wins the race between our "not found" and our publish.
      writeKeyFile(String(target), theirs);
      realLink(existing, target);
    });
    const loaded = loadMasterKey({ keyFile });
    expect(link).toHaveBeenCalledTimes(1);
    expect(loaded.source).toBe('file-existing');
    expect(loaded.key.equals(theirs)).toBe(true);
    expect(Buffer.from(fs.readFileSync(keyFile, 'utf8').trim(), 'base64').equals(theirs)).toBe(true);
    expect(fs.readdirSync(path.dirname(keyFile))).toEqual(['master.key']);
  });

  it('falls back to exclusive creation where hard links are unsupported, still never clobbering', () => {
    const link = vi.spyOn(fs, 'linkSync').mockImplementation(() => {
      throw Object.assign(new Error('operation not permitted'), { code: 'EPERM' });
    });
    const created = loadMasterKey({ keyFile });
    expect(created.source).toBe('file-created');
    if (posix) expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(loadMasterKey({ keyFile }).key.equals(created.key)).toBe(true);

    const other = path.join(dir, 'raced.key');
    const theirs = randomBytes(32);
    const realOpen = fs.openSync;
    vi.spyOn(fs, 'openSync').mockImplementation((file, flags, mode) => {
      if (file === other && flags === 'wx') writeKeyFile(other, theirs);
      return realOpen(file, flags, mode);
    });
    const raced = loadMasterKey({ keyFile: other });
    expect(raced.source).toBe('file-existing');
    expect(raced.key.equals(theirs)).toBe(true);
    expect(link).toHaveBeenCalledTimes(2);
    expect(fs.readdirSync(dir).sort()).toEqual(['nested', 'raced.key']);
  });

  it('20 processes racing to create the file all end up with one key', async () => {
    const startAt = Date.now() + 1500;
    const script = [
      `import { loadMasterKey } from ${JSON.stringify(pathToFileURL(MODULE).href)};`,
      `while (Date.now() < ${startAt}) {}`,
      `const { key, source } = loadMasterKey({ keyFile: ${JSON.stringify(keyFile)} });`,
      `process.stdout.write(JSON.stringify({ key: key.toString('base64'), source }));`,
    ].join('\n');
    const run = async (): Promise<{ key: string; source: string }> => {
      const { code, stdout, stderr } = await runProcess(process.execPath, [
        '--input-type=module',
        '-e',
        script,
      ]);
      if (code !== 0) throw new Error(`child exited ${code}: ${stderr}`);
      return JSON.parse(stdout);
    };
    const results = await Promise.all(Array.from({ length: 20 }, run));
    const keys = new Set(results.map((r) => r.key));
    expect(keys.size).toBe(1);
    expect(results.filter((r) => r.source === 'file-created')).toHaveLength(1);
    const onDisk = fs.readFileSync(keyFile, 'utf8').trim();
    expect(keys.has(onDisk)).toBe(true);
    expect(fs.readdirSync(path.dirname(keyFile))).toEqual(['master.key']);
    if (posix) expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
  });
});
