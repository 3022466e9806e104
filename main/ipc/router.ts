/**
 * The IPC router: every message from the renderer goes through `handle`, which checks the sender
 * frame (our origin, the top frame), validates the argument against the contract's schema, checks
 * the session state the contract requires for the channel, calls the handler and returns an
 * envelope. Errors travel as data ({kind, code, message}); nothing else of an exception leaves.
 */

import { isPamClientError } from '../../client/errors.ts';
import { type LogPort, silentLog } from '../../client/ports.ts';
import {
  type IpcChannel,
  type IpcEnvelope,
  type IpcError,
  type IpcParsedArgs,
  type IpcResult,
  ipcCalls,
  ipcSessionRequirements,
  type SessionRequirement,
} from '../../common/ipc.ts';
import { AppError } from '../services/appError.ts';

export type IpcHandlers = {
  [C in IpcChannel]: (args: IpcParsedArgs<C>) => Promise<IpcResult<C>> | IpcResult<C>;
};

export interface IpcSender {
  /** The URL of the frame that sent the message (Electron's event.senderFrame.url). */
  url: string | undefined;
  /**
   * Whether that frame is the window's top frame. Our page has no frames; a sub-frame calling is
   * refused even from our origin (defence in depth beside the CSP's frame-src).
   */
  topFrame: boolean;
}

export interface IpcRouterOptions {
  isTrustedSender(url: string | undefined): boolean;
  /**
   * Throws (an AppError: locked, signed out) unless the session is in the state the contract
   * requires for the channel (common/ipc.ts `ipcSessionRequirements`).
   */
  requireSession(requirement: SessionRequirement): void;
  /** Called for unexpected failures (bugs), with the channel; never with the arguments. */
  onInternalError?(channel: string, error: unknown): void;
  /** One debug line per call (request id, channel, outcome, duration); refusals at warn. */
  log?: LogPort;
}

export function toIpcError(error: unknown): IpcError {
  if (error instanceof AppError) return { kind: error.kind, code: error.code, message: error.message };
  if (isPamClientError(error)) return { kind: error.kind, code: error.code, message: error.message };
  return { kind: 'internal', code: 'internal', message: 'Something went wrong in Coffre. Try again.' };
}

export interface IpcRouter {
  handle(sender: IpcSender, channel: string, args: unknown): Promise<IpcEnvelope<unknown>>;
}

export function createIpcRouter(handlers: IpcHandlers, options: IpcRouterOptions): IpcRouter {
  const log = options.log ?? silentLog;
  let calls = 0;
  return {
    async handle(sender, channel, args) {
      const reqId = `ipc-${++calls}`;
      const started = performance.now();
      const envelope = await route(handlers, options, sender, channel, args);
      // The channel is only echoed once known: an unknown one is the caller's text.
      const fields = {
        reqId,
        channel: Object.hasOwn(ipcCalls, channel) ? channel : '(unknown)',
        ms: Math.round((performance.now() - started) * 10) / 10,
        ok: envelope.ok,
        ...(envelope.ok ? {} : { kind: envelope.error.kind, code: envelope.error.code }),
      };
      if (!envelope.ok && REFUSALS.includes(envelope.error.code)) log.warn(fields, 'ipc call refused');
      else log.debug(fields, 'ipc call');
      return envelope;
    },
  };
}

/** Codes of calls refused before any handler, logged at warn: a bug or an attack, never the user. */
const REFUSALS = ['untrusted_sender', 'untrusted_frame', 'unknown_channel'];

async function route(
  handlers: IpcHandlers,
  options: IpcRouterOptions,
  sender: IpcSender,
  channel: string,
  args: unknown,
): Promise<IpcEnvelope<unknown>> {
  if (!options.isTrustedSender(sender.url)) {
    return {
      ok: false,
      error: {
        kind: 'forbidden',
        code: 'untrusted_sender',
        message: 'Refused: the request did not come from Coffre.',
      },
    };
  }
  if (!sender.topFrame) {
    return {
      ok: false,
      error: {
        kind: 'forbidden',
        code: 'untrusted_frame',
        message: 'Refused: the request came from a frame inside the window.',
      },
    };
  }
  if (!Object.hasOwn(ipcCalls, channel)) {
    return {
      ok: false,
      error: {
        kind: 'invalid',
        code: 'unknown_channel',
        message: `Unknown call: ${String(channel).slice(0, 64)}`,
      },
    };
  }
  const call = ipcCalls[channel as IpcChannel];
  const parsed = call.args.safeParse(args);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` (${issue.path.join('.')})` : '';
    return {
      ok: false,
      error: {
        kind: 'invalid',
        code: 'invalid_arguments',
        message: `Invalid arguments for ${channel}${where}: ${issue?.message ?? 'invalid'}`,
      },
    };
  }
  try {
    // No await between this check and the handler's start: the state checked is the state it runs in.
    options.requireSession(ipcSessionRequirements[channel as IpcChannel]);
    const handler = handlers[channel as IpcChannel] as (a: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    const shaped = toIpcError(error);
    if (shaped.kind === 'internal') options.onInternalError?.(channel, error);
    return { ok: false, error: shaped };
  }
}
