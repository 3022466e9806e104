/**
 * The session encryption of Devolutions Server's sign-in handshake, as the Devolutions.Server
 * PowerShell module (2021.6–2022.2) performs it (docs/wire/dvls.md):
 *
 * - the session key is 32 random bytes, written as 64 lowercase hex digits (New-CryptographicKey,
 *   Convert-BytesToHex);
 * - `SafeSessionKey` is those 64 hex *characters* (UTF-8) encrypted with the server's RSA public key,
 *   PKCS#1 v1.5 padding, as hex (Encrypt-RSA: `RSACryptoServiceProvider.Encrypt(bytes, $false)`);
 * - `SafePassword` and the passwords the server sends back are hex(IV ‖ AES-256-CBC/PKCS#7 of the
 *   UTF-8 text) under the session key (Encrypt-String, Protect-ResourceToHexString, Decrypt-String).
 *
 * Only node:crypto primitives; used by the server (decrypt what the client sent, encrypt passwords)
 * and by the client core (the other way round). Never imported by the renderer.
 */
import {
  constants,
  createCipheriv,
  createDecipheriv,
  createPublicKey,
  type KeyObject,
  publicEncrypt,
  randomBytes,
} from 'node:crypto';

const IV_BYTES = 16;
const SESSION_KEY_BYTES = 32;
const HEX = /^(?:[0-9a-fA-F]{2})+$/;

export class DvlsCipherError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DvlsCipherError';
  }
}

export function isHex(text: string): boolean {
  return HEX.test(text);
}

/** A fresh session key, as the module makes it: 64 lowercase hex digits. */
export function newSessionKeyHex(): string {
  return randomBytes(SESSION_KEY_BYTES).toString('hex');
}

/** The 32 key bytes of a session key written in hex; throws on anything else. */
export function sessionKeyBytes(sessionKeyHex: string): Buffer {
  if (sessionKeyHex.length !== SESSION_KEY_BYTES * 2 || !isHex(sessionKeyHex)) {
    throw new DvlsCipherError('The session key is not 32 bytes in hex.');
  }
  return Buffer.from(sessionKeyHex, 'hex');
}

/** hex(IV ‖ AES-256-CBC(UTF-8 text)) under the session key (Encrypt-String + Convert-BytesToHex). */
export function encryptToHex(sessionKeyHex: string, plaintext: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-cbc', sessionKeyBytes(sessionKeyHex), iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('hex');
}

/** The inverse of `encryptToHex`; trailing NULs are trimmed as Decrypt-String does. */
export function decryptFromHex(sessionKeyHex: string, encryptedHex: string): string {
  if (!isHex(encryptedHex) || encryptedHex.length < (IV_BYTES + 16) * 2) {
    throw new DvlsCipherError('The encrypted value is not IV and AES blocks in hex.');
  }
  const bytes = Buffer.from(encryptedHex, 'hex');
  try {
    const decipher = createDecipheriv('aes-256-cbc', sessionKeyBytes(sessionKeyHex), bytes.subarray(0, 16));
    const plain = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES)), decipher.final()]);
    return plain.toString('utf8').replace(/\0+$/, '');
  } catch (error) {
    if (error instanceof DvlsCipherError) throw error;
    throw new DvlsCipherError('The encrypted value does not decrypt under the session key.');
  }
}

/** The public key as the server publishes it: big-endian modulus and exponent in hex. */
export interface DvlsPublicKey {
  modulus: string;
  exponent: string;
}

export function publicKeyToHex(key: KeyObject): DvlsPublicKey {
  const jwk = key.export({ format: 'jwk' });
  if (typeof jwk.n !== 'string' || typeof jwk.e !== 'string') {
    throw new DvlsCipherError('Not an RSA public key.');
  }
  return {
    modulus: Buffer.from(jwk.n, 'base64url').toString('hex'),
    exponent: Buffer.from(jwk.e, 'base64url').toString('hex'),
  };
}

/** `SafeSessionKey`: the session key's hex text, RSA/PKCS#1 v1.5-encrypted, in hex (Encrypt-RSA). */
export function encryptSessionKey(publicKey: DvlsPublicKey, sessionKeyHex: string): string {
  if (!isHex(publicKey.modulus) || !isHex(publicKey.exponent)) {
    throw new DvlsCipherError('The server public key is not hex.');
  }
  const key = createPublicKey({
    key: {
      kty: 'RSA',
      n: Buffer.from(publicKey.modulus, 'hex').toString('base64url'),
      e: Buffer.from(publicKey.exponent, 'hex').toString('base64url'),
    },
    format: 'jwk',
  });
  return publicEncrypt(
    { key, padding: constants.RSA_PKCS1_PADDING },
    Buffer.from(sessionKeyHex, 'utf8'),
  ).toString('hex');
}
