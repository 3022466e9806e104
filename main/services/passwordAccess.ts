import type { Clock, TimerHandle, Timers } from '../../client/ports.ts';
import type { CopyResult, RevealResult } from '../../common/ipc.ts';
import { AppError } from './appError.ts';
import type { ClipboardGuard } from './clipboardGuard.ts';
import type { EventSink } from './ports.ts';
import type { ServerCaller } from './serverCalls.ts';
import type { SettingsService } from './settingsService.ts';

/**
 * Reads a password only when the user copies or reveals it. The value lives in this process for
 * the duration of the call (copy) or is handed to the window for `revealSeconds` (reveal); it is
 * never cached, logged or kept here.
 */
export class PasswordAccess {
  private readonly callServer: ServerCaller;
  private readonly clipboard: ClipboardGuard;
  private readonly settings: SettingsService;
  private readonly events: EventSink;
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly revealed = new Map<string, TimerHandle>();
  private readonly accountOf: (credentialId: string) => string | undefined;

  constructor(deps: {
    callServer: ServerCaller;
    /** The account name of a credential, as the synced list has it. */
    accountOf: (credentialId: string) => string | undefined;
    clipboard: ClipboardGuard;
    settings: SettingsService;
    events: EventSink;
    clock: Clock;
    timers: Timers;
  }) {
    this.callServer = deps.callServer;
    this.clipboard = deps.clipboard;
    this.settings = deps.settings;
    this.events = deps.events;
    this.clock = deps.clock;
    this.timers = deps.timers;
    this.accountOf = deps.accountOf;
  }

  private async read(credentialId: string): Promise<string> {
    return this.callServer(async (backend) => {
      if (!backend.capabilities.passwordRead) {
        throw new AppError(
          'unsupported',
          'password_read_unsupported',
          'This server does not hand out passwords.',
        );
      }
      return backend.readPassword(credentialId);
    });
  }

  async copy(credentialId: string): Promise<CopyResult> {
    const { clipboardClearSeconds } = this.settings.get();
    const { clearsAt } = await this.clipboard.copySecret(await this.read(credentialId), {
      credentialId,
      clearAfterSeconds: clipboardClearSeconds,
    });
    return { clearsAt: new Date(clearsAt).toISOString() };
  }

  /** The account name beside the password: no secret, so neither concealed nor cleared. */
  async copyUsername(credentialId: string): Promise<undefined> {
    const account = this.accountOf(credentialId);
    if (account === undefined)
      throw new AppError('not_found', 'not_found', 'The credential is not in the list.');
    await this.clipboard.copyPlain(account);
    return undefined;
  }

  async reveal(credentialId: string): Promise<RevealResult> {
    const password = await this.read(credentialId);
    const { revealSeconds } = this.settings.get();
    this.hide(credentialId);
    this.revealed.set(
      credentialId,
      this.timers.setTimeout(() => this.hide(credentialId), revealSeconds * 1000),
    );
    return { password, hideAt: new Date(this.clock.now() + revealSeconds * 1000).toISOString() };
  }

  /** Tells the window to drop a revealed password (timer, check-in, lock, sign-out). */
  hide(credentialId: string): void {
    const timer = this.revealed.get(credentialId);
    if (timer === undefined) return;
    this.timers.clearTimeout(timer);
    this.revealed.delete(credentialId);
    this.events.emit({ type: 'password.hidden', credentialId });
  }

  hideAll(): void {
    for (const credentialId of [...this.revealed.keys()]) this.hide(credentialId);
  }
}
