import { toIso } from '../../common/ids.ts';
import type { Policy } from '../../common/policy.ts';
import { generatePassword } from '../crypto/passwordGenerator.ts';
import type { SecretBox } from '../crypto/secretBox.ts';
import type { PamStore } from '../store/pamStore.ts';
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
    const at = this.clock.now();
    const sealed = this.secretBox.seal(
      generatePassword(policy.passwordLength, policy.passwordClasses),
      credentialId,
    );
    const events = await this.store.setCredentialPassword(credentialId, sealed, at, {
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
    });
    for (const event of events) this.hub.publish(event, event.audience ?? []);
  }
}
