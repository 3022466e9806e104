/**
 * Where the Electron executable is, found the way node_modules/electron/index.js finds it, without
 * requiring that module: requiring it when the binary is missing starts a download.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export function electronBinaryPath(root: string = process.cwd()): string | null {
  let moduleDir: string;
  try {
    moduleDir = path.dirname(createRequire(path.join(root, 'package.json')).resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = path.join(moduleDir, 'path.txt');
  const relative = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : '';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary = override
    ? path.join(override, relative || 'electron')
    : relative
      ? path.join(moduleDir, 'dist', relative)
      : null;
  return binary && fs.existsSync(binary) ? binary : null;
}

export const MISSING_ELECTRON_MESSAGE =
  'coffre: the Electron binary is not installed (npm install without ELECTRON_SKIP_BINARY_DOWNLOAD fetches it); built to out/.';
