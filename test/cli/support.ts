/** Runs the real `coffre` binary as a subprocess, one config directory per profile. */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = path.join(ROOT, 'bin', 'coffre.js');
export const FAKE_CLIPBOARD = fileURLToPath(new URL('./fixtures/fakeClipboard.mjs', import.meta.url));

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string;
  env?: Record<string, string | undefined>;
}

/** A running `coffre` whose output can be awaited line by line (no sleeps). */
export interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves once stderr matches (rejects if the process ends first). */
  waitForStderr(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Resolves once stdout matches (rejects if the process ends first). */
  waitForStdout(pattern: RegExp): Promise<RegExpMatchArray>;
  done: Promise<RunResult>;
}

function baseEnv(configDir: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('LC_') || key.startsWith('COFFRE_') || key === 'LANGUAGE') delete env[key];
  }
  Object.assign(env, {
    COFFRE_CONFIG_DIR: configDir,
    COFFRE_KEYCHAIN: 'off',
    LANG: 'en_US.UTF-8',
    DISPLAY: '',
    WAYLAND_DISPLAY: '',
    NO_COLOR: '1',
  });
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export class Profile {
  readonly dir: string;
  readonly env: Record<string, string | undefined>;

  constructor(name: string, env: Record<string, string | undefined> = {}) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `coffre-cli-${name}-`));
    this.env = env;
  }

  start(args: readonly string[], options: RunOptions = {}): Running {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: baseEnv(this.dir, { ...this.env, ...options.env }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let exited = false;
    const waiters = new Set<() => void>();
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      for (const waiter of [...waiters]) waiter();
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      for (const waiter of [...waiters]) waiter();
    });
    const done = new Promise<RunResult>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => {
        exited = true;
        for (const waiter of [...waiters]) waiter();
        resolve({ code, signal, stdout, stderr });
      });
    });
    if (options.input !== undefined) child.stdin!.end(options.input);
    else child.stdin!.end();
    const waitFor = (read: () => string, pattern: RegExp) =>
      new Promise<RegExpMatchArray>((resolve, reject) => {
        const check = () => {
          const match = read().match(pattern);
          if (match) {
            waiters.delete(check);
            resolve(match);
          } else if (exited) {
            waiters.delete(check);
            reject(new Error(`coffre ended before ${pattern}:\n${stdout}\n${stderr}`));
          }
        };
        waiters.add(check);
        check();
      });
    return {
      child,
      stdout: () => stdout,
      stderr: () => stderr,
      done,
      waitForStderr: (pattern) => waitFor(() => stderr, pattern),
      waitForStdout: (pattern) => waitFor(() => stdout, pattern),
    };
  }

  run(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    return this.start(args, options).done;
  }

  /** Runs and parses stdout as JSON, failing loudly with stderr when the command failed. */
  async json(args: readonly string[], options: RunOptions = {}): Promise<any> {
    const result = await this.run([...args, '--json'], options);
    if (result.code !== 0) throw new Error(`coffre ${args.join(' ')} → ${result.code}: ${result.stderr}`);
    return JSON.parse(result.stdout);
  }

  async login(server: string, username: string, password = 'coffre-demo'): Promise<RunResult> {
    const result = await this.run(['login', '--server', server, '--username', username, '--password-stdin'], {
      input: `${password}\n`,
    });
    if (result.code !== 0) throw new Error(`login ${username} → ${result.code}: ${result.stderr}`);
    return result;
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
