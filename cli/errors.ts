/** How a failure becomes one line on stderr and an exit code. */
import { CommanderError } from 'commander';
import { isPamClientError } from '../client/errors.ts';
import { NOT_OFFERED } from '../common/notOffered.ts';
import { localizeServerError } from '../common/serverErrorText.ts';
import { ClipboardError } from './clipboard.ts';
import { ExitCode, exitCodeForKind } from './exitCodes.ts';
import type { Messages } from './messages.ts';

/** An error whose message is already in the user's language. */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly exitCode: ExitCode;
  constructor(message: string, exitCode: ExitCode, options?: { cause?: unknown }) {
    super(message, options);
    this.exitCode = exitCode;
  }
}

function quoted(message: string): string | null {
  const match = /'([^']+)'/.exec(message);
  return match ? match[1]! : null;
}

/** Commander's English usage errors, in the user's language. */
function usageMessage(error: CommanderError, t: Messages): string {
  const u = t.errors.usage;
  const raw = error.message.replace(/^error:\s*/, '');
  const name = quoted(raw);
  switch (error.code) {
    case 'commander.unknownCommand': {
      const hint = /\(Did you mean [^)]+\)/.exec(raw)?.[0];
      return name ? `${u.unknownCommand(name)}${hint ? ` ${hint}` : ''}` : u.other(raw);
    }
    case 'commander.unknownOption': {
      const hint = /\(Did you mean [^)]+\)/.exec(raw)?.[0];
      return name ? `${u.unknownOption(name)}${hint ? ` ${hint}` : ''}` : u.other(raw);
    }
    case 'commander.missingArgument':
      return name ? u.missingArgument(name) : u.other(raw);
    case 'commander.optionMissingArgument':
      return name ? u.optionMissingArgument(name) : u.other(raw);
    case 'commander.missingMandatoryOptionValue':
      return name ? u.missingMandatoryOption(name) : u.other(raw);
    case 'commander.invalidArgument': {
      // "option '--duration <minutes>' argument 'x' is invalid. <our translated reason>"
      const reason = /is invalid[^.]*\.\s*(.*)$/s.exec(raw)?.[1];
      return u.invalidArgument(reason?.trim() || raw);
    }
    case 'commander.excessArguments':
      return u.excessArguments;
    case 'commander.conflictingOption':
      return u.conflictingOption(raw);
    default:
      return u.other(raw);
  }
}

export interface DescribedError {
  message: string;
  exitCode: ExitCode;
}

/** The one-line message (without the `coffre:` framing) and exit code of anything thrown. */
export function describeError(error: unknown, t: Messages, commandPath = 'coffre'): DescribedError {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode };
  if (isPamClientError(error)) {
    const detail = Object.hasOwn(t.errors.dvlsSignIn, error.code)
      ? `${t.errors.dvlsSignIn[error.code]} (${error.message})`
      : localizeServerError(error.code, error.message, t.lang, error.details);
    // "Not offered by this server: …" says it all; the kind's "not supported by this server:" would repeat it.
    const message = error.code === NOT_OFFERED ? detail : t.errors.kind[error.kind](detail);
    return { message, exitCode: exitCodeForKind(error.kind) };
  }
  if (error instanceof CommanderError) {
    return {
      message: `${usageMessage(error, t)} ${t.errors.usage.seeHelp(commandPath)}`,
      exitCode: ExitCode.usage,
    };
  }
  if (error instanceof ClipboardError) {
    return { message: t.errors.clipboardFailed(error.message), exitCode: ExitCode.clipboard };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { message: t.errors.unexpected(message), exitCode: ExitCode.unexpected };
}
