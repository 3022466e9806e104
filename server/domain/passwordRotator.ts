import { toIso } from '../../common/ids.ts';
import type { Policy } from '../../common/policy.ts';
import { generatePassword } from '../crypto/passwordGenerator.ts';
import type { SecretBox } from '../crypto/secretBox.ts';
import type { PamStore, PasswordChange, SideEffects } from '../store/pamStore.ts';
import type { Actor } from './actor.ts';
import type { Clock } from './clock.ts';
import type { EventHub } from './eventHub.ts';

/** Replaces a credential's password with a fresh random one that follows its policy. */
export class PasswordRotator {
  private readonly store: PamStore;
  private readonly clock: Clock;
  private readonly secretBox: SecretBox;
  private readonly hub: EventHub;

  constructor(deps: { store: PamStore; clock: Clock; secretBox: SecretBox; hub: EventHub }) {
    this.store = deps.store;
    this.clock = deps.clock;
    this.secretBox = deps.secretBox;
    this.hub = deps.hub;
  }

  /** `actor` null means the server did it on its own (expiry). `notify` receives credential.rotated. */
  async rotate(credentialId: string, policy: Policy, actor: Actor | null, notify: string[]): Promise<void> {
    const change = this.prepare(credentialId, policy, actor, notify);
    const events = await this.store.setCredentialPassword(
      credentialId,
      change.passwordSealed,
      change.at,
      change.effects,
    );
    for (const event of events) this.hub.publish(event, event.audience ?? []);
  }

  /**
   * A new password with its audit row and event, not yet written: for a change that must commit
   * together with it (the end of a checkout). Whoever writes it publishes the returned events.
   */
  prepare(credentialId: string, policy: Policy, actor: Actor | null, notify: string[]): PasswordChange {
    const at = this.clock.now();
    const passwordSealed = this.secretBox.seal(
      generatePassword(policy.passwordLength, policy.passwordClasses),
      credentialId,
    );
    const effects: SideEffects = {
      audit: [
        {
          at,
          actorId: actor?.id ?? null,
          actorName: actor?.username ?? 'system',
          action: 'password.rotated',
          credentialId,
        },
      ],
      events: [
        {
          type: 'credential.rotated',
          at,
          audience: notify,
          data: { credentialID: credentialId, rotatedAt: toIso(at) },
        },
      ],
    };
    return { credentialId, passwordSealed, at, effects };
  }
}
