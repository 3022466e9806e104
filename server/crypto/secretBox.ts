import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Raised when a sealed value cannot be opened. Its message never carries plaintext, key or sealed text. */
export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

/**
 * AES-256-GCM sealing of secrets at rest.
 *
 * Sealed form: `v1.<iv>.<ciphertext>.<tag>`, each part base64url without padding, with a fresh
 * 12-byte random IV per seal. The associated data (the credential id) is authenticated but not
 * stored, so a ciphertext copied onto another row will not open there.
 */
export class SecretBox {
  readonly #key: Buffer;

  private constructor(key: Buffer) {
    this.#key = key;
  }

  /** `key` must be exactly 32 bytes; it is copied, so later changes to the caller's buffer have no effect. */
  static fromKey(key: Buffer): SecretBox {
    if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
      throw new SecretBoxError(`SecretBox key must be exactly ${KEY_BYTES} bytes.`);
    }
    return new SecretBox(Buffer.from(key));
  }

  seal(plaintext: string, associatedData: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.#key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, encode(iv), encode(ciphertext), encode(tag)].join('.');
  }

  /** Throws SecretBoxError if the value is malformed, was tampered with, or was sealed with another key or associated data. */
  open(sealed: string, associatedData: string): string {
    const parts = typeof sealed === 'string' ? sealed.split('.') : [];
    if (parts.length !== 4 || parts[0] !== VERSION) {
      throw new SecretBoxError('Sealed value has an unknown format or version.');
    }
    const iv = decode(parts[1]!);
    const ciphertext = decode(parts[2]!);
    const tag = decode(parts[3]!);
    if (!iv || !ciphertext || !tag || iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
      throw new SecretBoxError('Sealed value is malformed.');
    }
    try {
      const decipher = createDecipheriv(ALGORITHM, this.#key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(associatedData, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      // Deliberately no cause: nothing from the failed attempt is carried along.
      throw new SecretBoxError(
        'Sealed value could not be opened: wrong key, wrong associated data, or tampered data.',
      );
    }
  }
}

function encode(bytes: Buffer): string {
  return bytes.toString('base64url');
}

/** Strict base64url: rejects foreign characters and non-canonical encodings, so every altered character is noticed. */
function decode(text: string): Buffer | undefined {
  if (!BASE64URL.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}
