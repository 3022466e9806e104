/**
 * The IPC router's envelope and log on their own (main/ipc/router.ts): what each refusal says, how
 * errors are shaped (nothing of an unexpected one leaves), and what the log line of a call holds.
 * Written against the mutants that survived the router's other tests (docs/mutation.md, ipc-router).
 */
import { describe, expect, it, vi } from 'vitest';
import { PamClientError } from '../../../client/errors.ts';
import { IPC_CHANNELS, type IpcChannel, ipcCalls } from '../../../common/ipc.ts';
import { createIpcRouter, type IpcHandlers, toIpcError } from '../../../main/ipc/router.ts';
import { AppError } from '../../../main/services/appError.ts';

const APP = 'app://coffre/index.html';
const TOP = { url: APP, topFrame: true };

function setUp(handler: (channel: IpcChannel, args: unknown) => unknown = () => 'done') {
  const lines: Array<{ level: string; fields: Record<string, unknown>; message: string }> = [];
  const internal: Array<{ channel: string; error: unknown }> = [];
  const record = (level: string) => (fields: object, message: string) =>
    lines.push({ level, fields: fields as Record<string, unknown>, message });
  const handlers = Object.fromEntries(
    IPC_CHANNELS.map((channel) => [channel, (args: unknown) => handler(channel, args)]),
  ) as unknown as IpcHandlers;
  const router = createIpcRouter(handlers, {
    isTrustedSender: (url) => url === APP,
    requireSession: () => undefined,
    onInternalError: (channel, error) => internal.push({ channel, error }),
    log: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
  });
  return { router, lines, internal };
}

describe('IPC router refusals', () => {
  it('another origin: forbidden, untrusted_sender, logged at warn', async () => {
    const { router, lines } = setUp();
    const envelope = await router.handle(
      { url: 'https://evil.example/', topFrame: true },
      'vaults:list',
      undefined,
    );
    expect(envelope).toEqual({
      ok: false,
      error: {
        kind: 'forbidden',
        code: 'untrusted_sender',
        message: 'Refused: the request did not come from Coffre.',
      },
    });
    expect(lines).toMatchObject([{ level: 'warn', message: 'ipc call refused' }]);
    expect(lines[0]!.fields).toMatchObject({
      channel: 'vaults:list',
      ok: false,
      kind: 'forbidden',
      code: 'untrusted_sender',
    });
  });

  it('a sub-frame: its own message', async () => {
    const { router, lines } = setUp();
    const envelope = await router.handle({ url: APP, topFrame: false }, 'vaults:list', undefined);
    expect(envelope).toMatchObject({
      error: {
        code: 'untrusted_frame',
        message: 'Refused: the request came from a frame inside the window.',
      },
    });
    expect(lines[0]!.level).toBe('warn');
  });

  it('an unknown channel: named (64 characters at most) in the answer, never in the log', async () => {
    const { router, lines } = setUp();
    const long = `x${'y'.repeat(100)}`;
    const envelope = await router.handle(TOP, long, undefined);
    expect(envelope).toEqual({
      ok: false,
      error: { kind: 'invalid', code: 'unknown_channel', message: `Unknown call: ${long.slice(0, 64)}` },
    });
    expect(lines).toMatchObject([
      { level: 'warn', fields: { channel: '(unknown)', code: 'unknown_channel' } },
    ]);
    // A name of Object.prototype is not a channel either.
    expect(await router.handle(TOP, 'toString', undefined)).toMatchObject({
      error: { code: 'unknown_channel' },
    });
  });

  it('invalid arguments: the channel, the path of the first problem and its message; logged at debug', async () => {
    const { router, lines } = setUp();
    const envelope = await router.handle(TOP, 'credentials:get', { id: 'not a guid' });
    expect(envelope).toMatchObject({ ok: false, error: { kind: 'invalid', code: 'invalid_arguments' } });
    const { message } = (envelope as { error: { message: string } }).error;
    expect(message).toMatch(/^Invalid arguments for credentials:get \(id\): \S/);
    expect(lines[0]!.level).toBe('debug');
    const zodMessage = ipcCalls['credentials:get'].args.safeParse({ id: 'not a guid' }).error!.issues[0]!
      .message;
    expect(message).toBe(`Invalid arguments for credentials:get (id): ${zodMessage}`);
    const nested = await router.handle(TOP, 'session:signIn', {
      profile: { id: 'p', name: 'P', url: 42, dialect: 'checkout' },
      username: 'bob',
      password: 'x',
    });
    expect((nested as { error: { message: string } }).error.message).toMatch(
      /^Invalid arguments for session:signIn \(profile\.url\): \S/,
    );
    const whole = await router.handle(TOP, 'credentials:get', 42);
    expect((whole as { error: { message: string } }).error.message).toMatch(
      /^Invalid arguments for credentials:get: \S/,
    );
  });
});

describe('IPC router answers and errors', () => {
  it('a call: its value, and a debug line with a request id, the channel, ok and a duration', async () => {
    const { router, lines } = setUp((channel) => `value of ${channel}`);
    expect(await router.handle(TOP, 'vaults:list', undefined)).toEqual({
      ok: true,
      value: 'value of vaults:list',
    });
    await router.handle(TOP, 'checkouts:mine', undefined);
    expect(
      lines.map((line) => [line.level, line.message, line.fields.reqId, line.fields.channel, line.fields.ok]),
    ).toEqual([
      ['debug', 'ipc call', 'ipc-1', 'vaults:list', true],
      ['debug', 'ipc call', 'ipc-2', 'checkouts:mine', true],
    ]);
    expect(lines[0]!.fields).not.toHaveProperty('kind');
    expect(typeof lines[0]!.fields.ms).toBe('number');
    expect(lines[0]!.fields.ms).toBeGreaterThanOrEqual(0);
  });

  it('logs the duration in milliseconds, to a tenth (performance.now, read before and after)', async () => {
    const { router, lines } = setUp();
    const readings = [1000, 1012.34];
    vi.spyOn(performance, 'now').mockImplementation(() => readings.shift() ?? 2000);
    await router.handle(TOP, 'vaults:list', undefined);
    vi.restoreAllMocks();
    expect(lines[0]!.fields.ms).toBe(12.3);
  });

  it('without onInternalError, an unexpected error still answers as internal', async () => {
    const handlers = Object.fromEntries(
      IPC_CHANNELS.map((channel) => [
        channel,
        () => {
          throw new Error('bug');
        },
      ]),
    ) as unknown as IpcHandlers;
    const router = createIpcRouter(handlers, {
      isTrustedSender: () => true,
      requireSession: () => undefined,
    });
    expect(await router.handle(TOP, 'vaults:list', undefined)).toMatchObject({
      ok: false,
      error: { kind: 'internal', code: 'internal' },
    });
  });

  it('an AppError or a client error travels as {kind, code, message}; not as an internal error', async () => {
    const errors = [
      new AppError('locked', 'locked', 'Coffre is locked.'),
      new PamClientError('conflict', 'Someone holds it.', { code: 'already_checked_out' }),
    ];
    for (const thrown of errors) {
      const { router, internal, lines } = setUp(() => {
        throw thrown;
      });
      const envelope = await router.handle(TOP, 'vaults:list', undefined);
      expect(envelope).toEqual({
        ok: false,
        error: { kind: (thrown as AppError).kind, code: (thrown as AppError).code, message: thrown.message },
      });
      expect(internal).toEqual([]);
      expect(lines[0]).toMatchObject({
        level: 'debug',
        fields: { ok: false, code: (thrown as AppError).code },
      });
    }
  });

  it('anything else is internal: a fixed message out, the error only to onInternalError with the channel', async () => {
    const bug = new TypeError('secret-looking detail');
    const { router, internal } = setUp(() => {
      throw bug;
    });
    const envelope = await router.handle(TOP, 'vaults:list', undefined);
    expect(envelope).toEqual({
      ok: false,
      error: { kind: 'internal', code: 'internal', message: 'Something went wrong in Coffre. Try again.' },
    });
    expect(internal).toEqual([{ channel: 'vaults:list', error: bug }]);
    expect(toIpcError('a string')).toMatchObject({ kind: 'internal' });
  });
});
