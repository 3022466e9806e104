import {
  constants,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  privateDecrypt,
} from 'node:crypto';
import { type DvlsPublicKey, isHex, publicKeyToHex, sessionKeyBytes } from '../../common/dvlsCipher.ts';
import type { SecretBox } from '../crypto/secretBox.ts';
import type { Clock } from '../domain/clock.ts';
import type { PamStore } from '../store/pamStore.ts';

/** A session signed in through the handshake: its key, and the module version that signed in. */
export interface DvlsSession {
  sessionKey: string;
  moduleVersion: string | null;
}

/**
 * Whether the module that signed in reads Get-DSPamPassword's answer as a bare string: every
 * release before 2022.2.6.1 decrypts `$res.Body` itself (Get-DSPamPassword.ps1 @0d5c2c3,
 * Invoke-DSPamCheckout.ps1 until 2022.3); Get-DSPamPassword reads `.data` from b8023ee
 * ("Fixed issue with Pam passwords decrypting", module 2022.2.6.1) on. Versions that do not parse
 * (Coffre's own client sends "Coffre") get `{data, result}`.
 */
export function readsBarePassword(session: DvlsSession): boolean {
  const parts = session.moduleVersion?.match(/^(\d+)\.(\d+)(?:\.(\d+))?(?:\.(\d+))?$/);
  if (!parts) return false;
  const [year, minor, build, revision] = parts.slice(1).map((part) => Number(part ?? 0)) as number[];
  const version = [year!, minor!, build!, revision!];
  const fixed = [2022, 2, 6, 1];
  for (let i = 0; i < 4; i++) if (version[i] !== fixed[i]) return version[i]! < fixed[i]!;
  return false;
}

/** The server_meta key of the handshake's RSA private key, sealed with the master key. */
const KEY_PAIR_META = 'dvls-handshake-key';
const sessionKeyContext = (tokenHash: string) => `dvls-session-key:${tokenHash}`;

/**
 * The server half of Devolutions Server's session handshake: an RSA key pair whose public half the
 * server information publishes, and the session keys clients sent with it.
 *
 * Both live in the store, sealed with the master key, never in clear (docs/wire/dvls.md): the key
 * pair in server_meta, claimed by the first node that needs it, so every node publishes the same
 * public key; each session key in its token's row, sealed for that token's hash, so a token signed
 * in on one node reads its passwords encrypted on any other, and after a restart.
 */
export class DvlsSessions {
  private keyPair: Promise<{ publicKey: KeyObject; privateKey: KeyObject }> | undefined;

  private readonly deps: { store: PamStore; secretBox: SecretBox; clock: Clock };

  constructor(deps: { store: PamStore; secretBox: SecretBox; clock: Clock }) {
    this.deps = deps;
  }

  async publicKey(): Promise<DvlsPublicKey> {
    return publicKeyToHex((await this.pair()).publicKey);
  }

  /** The session key inside a `SafeSessionKey`, or undefined when it is not one. */
  async openSessionKey(safeSessionKeyHex: string): Promise<string | undefined> {
    if (!isHex(safeSessionKeyHex) || safeSessionKeyHex.length > 2048) return undefined;
    const { privateKey } = await this.pair();
    let text: string;
    try {
      // Node answers PKCS#1 v1.5 with implicit rejection: a forged value decrypts to noise,
      // which the format check below refuses, so no padding oracle.
      text = privateDecrypt(
        { key: privateKey, padding: constants.RSA_PKCS1_PADDING },
        Buffer.from(safeSessionKeyHex, 'hex'),
      ).toString('utf8');
    } catch {
      return undefined;
    }
    try {
      sessionKeyBytes(text);
      return text.toLowerCase();
    } catch {
      return undefined;
    }
  }

  /**
   * What AuthService.login stores beside the new token: the session, sealed for the token's hash.
   * `moduleVersion` is the `Version` the handshake sent (the module's own version).
   */
  sealerFor(session: DvlsSession): (tokenHash: string) => string {
    return (tokenHash) => this.deps.secretBox.seal(JSON.stringify(session), sessionKeyContext(tokenHash));
  }

  /** The handshake session of a live token, or undefined (another sign-in, expired, revoked). */
  async sessionOf(tokenHash: string): Promise<DvlsSession | undefined> {
    const token = await this.deps.store.getToken(tokenHash);
    if (!token?.sessionKeySealed || token.expiresAt <= this.deps.clock.now()) return undefined;
    return JSON.parse(this.deps.secretBox.open(token.sessionKeySealed, sessionKeyContext(tokenHash)));
  }

  private pair() {
    this.keyPair ??= this.loadPair().catch((error: unknown) => {
      this.keyPair = undefined;
      throw error;
    });
    return this.keyPair;
  }

  /**
   * The deployment's key pair: made here and offered to the store, which keeps whichever node's
   * offer came first (claimMeta), so nodes started together still agree on one key.
   */
  private async loadPair() {
    const { store, secretBox } = this.deps;
    const offered = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const sealed = secretBox.seal(
      offered.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      KEY_PAIR_META,
    );
    const stored = await store.claimMeta(KEY_PAIR_META, sealed);
    if (stored === sealed) return offered;
    // Another node (or an earlier run) was first: use its key; a private key carries its public half.
    const privateKey = createPrivateKey(secretBox.open(stored, KEY_PAIR_META));
    return { privateKey, publicKey: createPublicKey(privateKey) };
  }
}
