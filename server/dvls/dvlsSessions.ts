import { constants, generateKeyPairSync, type KeyObject, privateDecrypt } from 'node:crypto';
import { type DvlsPublicKey, isHex, publicKeyToHex, sessionKeyBytes } from '../../common/dvlsCipher.ts';

const SWEEP_ABOVE = 1000;

/**
 * The server half of Devolutions Server's session handshake: an RSA key pair whose public half the
 * server information publishes, and the session keys clients sent with it, by token hash.
 *
 * The session keys live in memory only, like the key pair (made at first use): after a restart a
 * client signs in again, as its token's session key is gone (docs/wire/dvls.md).
 */
export class DvlsSessions {
  private keyPair: { publicKey: KeyObject; privateKey: KeyObject } | undefined;
  private readonly sessionKeys = new Map<string, { key: string; expiresAt: number }>();

  get publicKey(): DvlsPublicKey {
    return publicKeyToHex(this.pair().publicKey);
  }

  /** The session key inside a `SafeSessionKey`, or undefined when it is not one. */
  openSessionKey(safeSessionKeyHex: string): string | undefined {
    if (!isHex(safeSessionKeyHex) || safeSessionKeyHex.length > 2048) return undefined;
    let text: string;
    try {
      // Node answers PKCS#1 v1.5 with implicit rejection: a forged value decrypts to noise,
      // which the format check below refuses, so no padding oracle.
      text = privateDecrypt(
        { key: this.pair().privateKey, padding: constants.RSA_PKCS1_PADDING },
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

  remember(tokenHash: string, sessionKey: string, expiresAt: number, now = Date.now()): void {
    // Keys of tokens never used again would stay until read: sweep the expired ones now and then.
    if (this.sessionKeys.size >= SWEEP_ABOVE) {
      for (const [hash, entry] of this.sessionKeys) if (entry.expiresAt <= now) this.sessionKeys.delete(hash);
    }
    this.sessionKeys.set(tokenHash, { key: sessionKey, expiresAt });
  }

  keyOf(tokenHash: string, now: number): string | undefined {
    const entry = this.sessionKeys.get(tokenHash);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.sessionKeys.delete(tokenHash);
      return undefined;
    }
    return entry.key;
  }

  forget(tokenHash: string): void {
    this.sessionKeys.delete(tokenHash);
  }

  private pair() {
    this.keyPair ??= generateKeyPairSync('rsa', { modulusLength: 2048 });
    return this.keyPair;
  }
}
