import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { apiRequest } from '../support/testServer.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/coffre-server.js');
const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-cmd-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Starts the real command and resolves with its first stdout lines once it prints the address. */
function launch(args: string[]): Promise<{ lines: string[]; url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${lines.join('\n')}`)));
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      const url = line.match(/http:\/\/127\.0\.0\.1:\d+/)?.[0];
      if (url) {
        child.removeAllListeners('exit');
        // Give the hint line (if any) a moment to arrive with the same write.
        setImmediate(() =>
          resolve({
            lines,
            url,
            stop: () =>
              new Promise<void>((done) => {
                child.once('exit', () => done());
                child.kill('SIGTERM');
              }),
          }),
        );
      }
    });
  });
}

describe('coffre-server command', () => {
  it('--demo prints one ready line with the loopback URL and the demo accounts, and serves them', async () => {
    const server = await launch(['--demo', '--port', '0', '--data', tempDir()]);
    try {
      expect(server.lines[0]).toMatch(
        /^Coffre server ready at http:\/\/127\.0\.0\.1:\d+ \(demo accounts: bob, maurice/,
      );
      expect(server.lines[0]).toContain('coffre-demo');
      const health = await apiRequest(server.url, 'GET', '/api/health');
      expect(health.body.status).toBe('ok');
      const login = await apiRequest(server.url, 'POST', '/api/auth/login', {
        username: 'alice',
        password: 'coffre-demo',
      });
      expect(login.status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it('--demo refuses a non-loopback address', () => {
    const result = spawnSync(
      process.execPath,
      [BIN, '--demo', '--host', '0.0.0.0', '--port', '0', '--data', tempDir()],
      {
        encoding: 'utf8',
      },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('loopback only');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('without --demo it starts empty, tells how to create the first admin, and create-admin works', async () => {
    const data = tempDir();
    const empty = await launch(['--port', '0', '--data', data]);
    await empty.stop();
    expect(empty.lines.join('\n')).toContain('coffre-server create-admin');
    const created = spawnSync(
      process.execPath,
      [BIN, 'create-admin', '--data', data, '--username', 'root', '--password-stdin'],
      { input: 'a very long admin password\n', encoding: 'utf8' },
    );
    expect(created.status).toBe(0);
    expect(created.stdout).toContain('Created administrator root');
    const server = await launch(['--port', '0', '--data', data]);
    try {
      expect(server.lines.join('\n')).not.toContain('create-admin');
      const login = await apiRequest(server.url, 'POST', '/api/auth/login', {
        username: 'root',
        password: 'a very long admin password',
      });
      expect(login.status).toBe(200);
      expect(login.body.user.roles).toContain('admin');
    } finally {
      await server.stop();
    }
  });

  it('rejects a bad port with a one-line message', () => {
    const result = spawnSync(process.execPath, [BIN, '--port', 'abc'], { encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('--port');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('OpenAPI document', () => {
  it('is generated from the request schemas and lists both dialects', async () => {
    const server = await launch(['--demo', '--port', '0', '--data', tempDir()]);
    try {
      const doc = (await apiRequest(server.url, 'GET', '/api/docs/openapi.json')).body;
      expect(doc.openapi).toMatch(/^3\./);
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([
          '/api/pam/checkouts',
          '/api/pam/checkouts/{id}',
          '/api/auth/login',
          '/api/pamresources/pamrequeststoapprove',
        ]),
      );
      const body = doc.paths['/api/pam/checkouts'].post.requestBody.content['application/json'].schema;
      expect(body.required).toContain('credentialID');
      expect(Object.keys(body.properties)).toEqual(
        expect.arrayContaining(['credentialID', 'reason', 'approverID', 'duration']),
      );
    } finally {
      await server.stop();
    }
  });
});
