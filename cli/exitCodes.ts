import type { PamErrorKind } from '../client/errors.ts';

/** The exit codes of `coffre`, documented in `coffre --help`. Scripts may rely on them. */
export const ExitCode = {
  ok: 0,
  /** Anything else: a bug, or the local machine failed (e.g. the config directory is not writable). */
  unexpected: 1,
  /** A command-line mistake: unknown command or option, missing or malformed argument. */
  usage: 2,
  /** Not logged in, wrong password, session expired or revoked, too many attempts. */
  auth: 3,
  /** Not allowed; also a request denied while `checkout --wait` waited for it. */
  forbidden: 4,
  notFound: 5,
  /** The state does not allow it; also a request that expired or was canceled while waited for. */
  conflict: 6,
  /** The credential's policy refuses it (reason or approver required, duration out of bounds…). */
  policy: 7,
  /** The server could not be reached: network, timeout or TLS failure. */
  network: 8,
  /** The server failed, or answered something unexpected. */
  server: 9,
  /** `--copy` was asked but no clipboard tool or display is available. */
  clipboard: 10,
  /** A name matched several credentials or checkouts: they are listed on stderr; give an ID. */
  ambiguous: 11,
  /** Ctrl-C (SIGINT). */
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The exit code for an error of the client core. */
export function exitCodeForKind(kind: PamErrorKind): ExitCode {
  switch (kind) {
    case 'unauthorized':
    case 'throttled':
      return ExitCode.auth;
    case 'forbidden':
      return ExitCode.forbidden;
    case 'not_found':
      return ExitCode.notFound;
    case 'conflict':
      return ExitCode.conflict;
    case 'policy':
      return ExitCode.policy;
    case 'invalid':
    case 'unsupported':
      return ExitCode.usage;
    case 'network':
    case 'timeout':
    case 'tls':
      return ExitCode.network;
    case 'server':
    case 'protocol':
      return ExitCode.server;
  }
}
