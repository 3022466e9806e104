/**
 * `node scripts/runElectronInstaller.ts <install.js>`: runs Electron's installer in this process,
 * with this terminal (so @electron/get draws its progress bar), and turns its failure into one
 * line on file descriptor 3 for scripts/electronBinary.ts. The installer reports a failure with
 * `console.error(err.stack)` and exit code 1; a stack is not what a user should read, and
 * undici's "fetch failed" hides its cause, so the cause of the last failed fetch is added.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const installer = path.resolve(process.argv[2] ?? '');
let lastFetchCause = '';

const realFetch = globalThis.fetch;
globalThis.fetch = (async (...args: Parameters<typeof fetch>) => {
  try {
    return await realFetch(...args);
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    lastFetchCause = cause?.message ?? cause?.code ?? '';
    throw error;
  }
}) as typeof fetch;

console.error = (...args: unknown[]) => {
  const text = args.map((arg) => (arg instanceof Error ? (arg.stack ?? arg.message) : String(arg))).join(' ');
  const firstLine = text.split('\n')[0]!.trim();
  const line =
    lastFetchCause && !firstLine.includes(lastFetchCause) ? `${firstLine}: ${lastFetchCause}` : firstLine;
  try {
    fs.writeSync(3, `${line}\n`);
  } catch {
    process.stderr.write(`${line}\n`);
  }
};

createRequire(import.meta.url)(installer);
