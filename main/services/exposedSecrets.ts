import { type Checkout, CheckoutStatus } from '../../common/checkout.ts';
import type { ClipboardClearReason, ClipboardGuard } from './clipboardGuard.ts';
import type { PasswordAccess } from './passwordAccess.ts';

/**
 * Takes passwords out of sight — off the clipboard (if it still holds ours) and out of the window
 * (a revealed password) — when they stop being usable. The one place that decides it, for
 * check-in, cancel, expiry, a checkout that ended elsewhere, lock, sign-out and quit.
 */
export class ExposedSecrets {
  private readonly clipboard: ClipboardGuard;
  private readonly passwords: PasswordAccess;

  constructor(deps: { clipboard: ClipboardGuard; passwords: PasswordAccess }) {
    this.clipboard = deps.clipboard;
    this.passwords = deps.passwords;
  }

  /** One credential's checkout ended (checked in, canceled, expired). */
  async withdraw(
    credentialId: string,
    reason: Extract<ClipboardClearReason, 'checkin' | 'expiry'>,
  ): Promise<void> {
    // Hidden at once; the clipboard is read (to see whether it still holds ours) meanwhile.
    const clearing = this.clipboard.clearForCredential(credentialId, reason);
    this.passwords.hide(credentialId);
    await clearing;
  }

  /**
   * The user's open checkouts, as the server lists them now: a password on the clipboard whose
   * checkout is no longer active (ended on another device, aborted by an admin) goes.
   */
  async keepActiveOnly(open: readonly Checkout[]): Promise<void> {
    const held = this.clipboard.heldCredentialId();
    if (!held) return;
    const stillActive = open.some((c) => c.credentialID === held && c.status === CheckoutStatus.Active);
    if (!stillActive) await this.withdraw(held, 'checkin');
  }

  /** Every password, whatever its credential (lock, sign-out, quit). */
  async withdrawAll(reason: Extract<ClipboardClearReason, 'lock' | 'signOut' | 'quit'>): Promise<void> {
    await this.clipboard.clearIfOurs(reason);
    this.passwords.hideAll();
  }
}
