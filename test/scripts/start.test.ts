/**
 * `npm start` gets Electron with Electron's own installer (node_modules/electron/install.js) when
 * the binary is missing, then builds and launches; when the download fails it ends with one line.
 * The installer is replaced at the process boundary (COFFRE_ELECTRON_INSTALLER, a script run as
 * its own process like install.js), and ELECTRON_OVERRIDE_DIST_PATH points the launcher at an
 * empty folder, so the test does not depend on this machine's node_modules/electron/dist.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ProcessOutcome, runProcess } from '../support/runProcess.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIXTURES = path.join(import.meta.dirname, 'fixtures/electron');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function npmStart(
  installer: string,
  display: Record<string, string> = { DISPLAY: ':99', WAYLAND_DISPLAY: '' },
): Promise<ProcessOutcome> {
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-electron-dist-'));
  dirs.push(dist);
  return runProcess(process.execPath, ['scripts/start.ts', 'coffre://approvals'], {
    cwd: ROOT,
    env: {
      ...process.env,
      COFFRE_ELECTRON_INSTALLER: path.join(FIXTURES, installer),
      ELECTRON_OVERRIDE_DIST_PATH: dist,
      ...display,
    },
  });
}

describe('npm start', () => {
  it('downloads Electron with its installer, shows its progress, then builds and launches the app', async () => {
    const { code, stdout, stderr } = await npmStart('workingInstaller.cjs');
    expect(stdout).toMatch(/downloading Electron \d+\.\d+\.\d+/);
    expect(stderr).toContain('Downloading electron-v45.4.1-linux-x64.zip: [====================] 100%');
    expect(stdout).toContain('fake electron launched with: . coffre://approvals');
    expect(fs.existsSync(path.join(ROOT, 'out/main/index.js'))).toBe(true);
    expect(code).toBe(0);
  }, 300_000);

  it('when the download fails: one line with the installer’s error and what to do, exit 1', async () => {
    const { code, stdout, stderr } = await npmStart('failingInstaller.cjs');
    expect(code).toBe(1);
    expect(stdout).not.toContain('fake electron');
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^coffre: could not download Electron \d+\.\d+\.\d+ \(TypeError: fetch failed: connect ECONNREFUSED 127\.0\.0\.1:47\)/,
    );
    expect(lines[0]).toContain('ELECTRON_MIRROR');
    expect(lines[0]).toContain('ELECTRON_OVERRIDE_DIST_PATH');
    expect(lines[0]).toContain('npm run server -- --demo');
    expect(lines[0]).not.toMatch(/\n| {4}at /);
  }, 300_000);

  it.runIf(process.platform === 'linux')(
    'without a display: one line saying so and what to do, nothing downloaded',
    async () => {
      const { code, stdout, stderr } = await npmStart('workingInstaller.cjs', {
        DISPLAY: '',
        WAYLAND_DISPLAY: '',
      });
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toBe(
        'coffre: no display to open the desktop app on (DISPLAY and WAYLAND_DISPLAY are empty); run npm start in a ' +
          'graphical session (or under xvfb-run), or without the desktop app: npm run server -- --demo, and npx coffre in another terminal.\n',
      );
    },
  );
});
