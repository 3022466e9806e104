/**
 * The clipboard, as a port: the system one spawns the platform's tools (wl-copy, xclip, xsel,
 * pbcopy, clip.exe) and always hands them the secret on standard input, never as an argument.
 * `copyThenClear` copies, waits, and clears only if the clipboard still holds what it copied.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface ClipboardPort {
  /** e.g. 'xclip', for messages. */
  readonly name: string;
  write(text: string): Promise<void>;
  /** What the clipboard holds now, or null when this clipboard cannot be read back. */
  read(): Promise<string | null>;
  /** Empties the clipboard (default: write an empty string). */
  clear?(): Promise<void>;
}

export class ClipboardError extends Error {
  override readonly name = 'ClipboardError';
}

/** A command line: program and arguments; no shell is involved. */
export type CommandLine = readonly [string, ...string[]];

function run(command: CommandLine, input: string | null, wantOutput: boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const [program, ...args] = command;
    // Tools like xclip and wl-copy fork a child that keeps serving the selection and inherits our
    // pipes; so writes wait for 'exit' and ignore stdout, reads wait for 'close' of stdout.
    const child = spawn(program, args, {
      stdio: [input === null ? 'ignore' : 'pipe', wantOutput ? 'pipe' : 'ignore', 'pipe'],
      windowsHide: true,
    });
    let stdout = '';
    let stderr = '';
    let exitCode: number | null | undefined;
    let stdoutDone = !wantOutput;
    const settle = () => {
      if (exitCode === undefined || !stdoutDone) return;
      if (exitCode === 0) resolve(stdout);
      else
        reject(
          new ClipboardError(
            `${program} failed${stderr.trim() ? `: ${stderr.trim().split('\n')[0]}` : ` (exit ${exitCode})`}`,
          ),
        );
    };
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        new ClipboardError(error.code === 'ENOENT' ? `${program} not found` : `${program}: ${error.message}`),
      ),
    );
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 2000) stderr += chunk;
    });
    if (wantOutput) {
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
      });
      child.stdout?.on('close', () => {
        stdoutDone = true;
        settle();
      });
    }
    child.on('exit', (code) => {
      exitCode = code;
      settle();
    });
    if (input !== null) {
      child.stdin?.on('error', () => {
        // The tool may exit before reading everything (e.g. a failure): its exit status reports it.
      });
      child.stdin?.end(input);
    }
  });
}

/** A clipboard made of a copy command (reads stdin) and an optional paste command (writes stdout). */
export function commandClipboard(
  name: string,
  copy: CommandLine,
  paste: CommandLine | null,
  clear?: CommandLine,
): ClipboardPort {
  return {
    name,
    write: async (text) => {
      await run(copy, text, false);
    },
    read: async () => (paste ? run(paste, null, true) : null),
    ...(clear
      ? {
          clear: async () => {
            await run(clear, null, false);
          },
        }
      : {}),
  };
}

/** Splits a command given in an environment variable: a JSON array, or words separated by spaces. */
export function parseCommandLine(value: string): CommandLine | null {
  const trimmed = value.trim();
  if (!trimmed) return null;
  if (trimmed.startsWith('[')) {
    try {
      const parsed = JSON.parse(trimmed) as unknown;
      if (Array.isArray(parsed) && parsed.length > 0 && parsed.every((part) => typeof part === 'string')) {
        return parsed as unknown as CommandLine;
      }
    } catch {
      return null;
    }
    return null;
  }
  return trimmed.split(/\s+/) as unknown as CommandLine;
}

function onPath(program: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): boolean {
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean);
  const extensions = platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of dirs) {
    for (const extension of extensions) {
      const candidate = path.join(dir, program + (program.includes('.') ? '' : extension));
      try {
        fs.accessSync(candidate, platform === 'win32' ? fs.constants.F_OK : fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return true;
      } catch {
        // not here
      }
    }
  }
  return false;
}

const POWERSHELL_PASTE: CommandLine = [
  'powershell.exe',
  '-NoProfile',
  '-NonInteractive',
  '-Command',
  'Get-Clipboard -Raw',
];

/**
 * The clipboard of this machine, or null when there is none usable. `COFFRE_CLIPBOARD_COPY` (and
 * optionally `COFFRE_CLIPBOARD_PASTE`) name other commands (a JSON array or space-separated words).
 */
export function systemClipboard(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
  has: (program: string) => boolean = (program) => onPath(program, env, platform),
): ClipboardPort | null {
  const customCopy = env.COFFRE_CLIPBOARD_COPY ? parseCommandLine(env.COFFRE_CLIPBOARD_COPY) : null;
  if (customCopy) {
    const customPaste = env.COFFRE_CLIPBOARD_PASTE ? parseCommandLine(env.COFFRE_CLIPBOARD_PASTE) : null;
    return commandClipboard(path.basename(customCopy[0]), customCopy, customPaste);
  }
  if (platform === 'darwin') return commandClipboard('pbcopy', ['pbcopy'], ['pbpaste']);
  if (platform === 'win32') return commandClipboard('clip.exe', ['clip.exe'], POWERSHELL_PASTE);
  if (env.WAYLAND_DISPLAY && has('wl-copy')) {
    return commandClipboard('wl-copy', ['wl-copy'], has('wl-paste') ? ['wl-paste', '--no-newline'] : null, [
      'wl-copy',
      '--clear',
    ]);
  }
  if (env.DISPLAY) {
    if (has('xclip')) {
      return commandClipboard(
        'xclip',
        ['xclip', '-selection', 'clipboard', '-in'],
        ['xclip', '-selection', 'clipboard', '-out'],
      );
    }
    if (has('xsel')) {
      return commandClipboard(
        'xsel',
        ['xsel', '--clipboard', '--input'],
        ['xsel', '--clipboard', '--output'],
        ['xsel', '--clipboard', '--clear'],
      );
    }
  }
  // WSL: the Windows clipboard, reachable from Linux.
  if (has('clip.exe')) {
    return commandClipboard('clip.exe', ['clip.exe'], has('powershell.exe') ? POWERSHELL_PASTE : null);
  }
  return null;
}

export type ClearOutcome =
  /** The clipboard held our value and was emptied. */
  | 'cleared'
  /** Something else was copied meanwhile: left alone. */
  | 'changed'
  /** The clipboard cannot be read back, so it was left alone. */
  | 'unreadable'
  /** `clearAfterMs` was 0: nothing to do. */
  | 'kept';

export interface CopyOptions {
  /** 0: copy and return at once. */
  clearAfterMs: number;
  /** Aborting clears at once (Ctrl-C). */
  signal?: AbortSignal;
  /** Called once the value is on the clipboard, before the wait. */
  onCopied?: () => void;
  /** Waits `ms` or until `signal` aborts (tests inject their own). */
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export function waitOrAbort(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function sameValue(current: string, ours: string): boolean {
  // Some paste tools add a line break (PowerShell's Get-Clipboard, xsel on some systems).
  return current === ours || current.replace(/\r?\n$/, '') === ours;
}

/** Copies `secret`, then after `clearAfterMs` (or an abort) empties the clipboard if it still holds it. */
export async function copyThenClear(
  clipboard: ClipboardPort,
  secret: string,
  options: CopyOptions,
): Promise<ClearOutcome> {
  await clipboard.write(secret);
  options.onCopied?.();
  if (options.clearAfterMs <= 0) return 'kept';
  await (options.wait ?? waitOrAbort)(options.clearAfterMs, options.signal);
  let current: string | null;
  try {
    current = await clipboard.read();
  } catch {
    current = null;
  }
  if (current === null) return 'unreadable';
  if (!sameValue(current, secret)) return 'changed';
  if (clipboard.clear) await clipboard.clear();
  else await clipboard.write('');
  return 'cleared';
}
