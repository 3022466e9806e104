/** Handing a password over: printed on stdout, or put on the clipboard for a while. */
import { type ClipboardPort, copyThenClear } from './clipboard.ts';
import type { Cli } from './context.ts';
import { CliError } from './errors.ts';
import { ExitCode } from './exitCodes.ts';

export const DEFAULT_CLEAR_AFTER_S = 30;

/** The clipboard, or a clipboard error (exit 10) when there is none: asked before anything is requested. */
export function requireClipboard(cli: Cli): ClipboardPort {
  const clipboard = cli.deps.clipboard(cli.env);
  if (!clipboard) throw new CliError(cli.t.errors.clipboardUnavailable, ExitCode.clipboard);
  return clipboard;
}

/**
 * Copies the password and keeps the process alive until the clipboard is cleared (after
 * `clearAfterSeconds`, or at Ctrl-C, then exit 130), only if it still holds the password.
 */
export async function copyPassword(
  cli: Cli,
  clipboard: ClipboardPort,
  password: string,
  clearAfterSeconds: number,
): Promise<void> {
  const { t } = cli;
  const { signal, release } = cli.interruptSignal();
  try {
    const outcome = await copyThenClear(clipboard, password, {
      clearAfterMs: clearAfterSeconds * 1000,
      signal,
      onCopied: () =>
        cli.notice(clearAfterSeconds > 0 ? t.notices.copied(clearAfterSeconds) : t.notices.copiedNoClear),
    });
    if (outcome === 'cleared') cli.notice(t.notices.clipboardCleared);
    else if (outcome === 'changed') cli.notice(t.notices.clipboardChanged);
    else if (outcome === 'unreadable') cli.notice(t.notices.clipboardUnreadable);
  } finally {
    release();
  }
  if (signal.aborted) throw new CliError('', ExitCode.interrupted);
}
