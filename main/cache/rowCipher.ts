import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';

const FORMAT = 0x01;
const ALGORITHM = 'aes-256-gcm';
export const DATA_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const OVERHEAD = 1 + IV_BYTES + TAG_BYTES;

/** A row that does not open: wrong key, moved to another row, or altered. Never carries plaintext. */
export class CacheIntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CacheIntegrityError';
  }
}

/**
 * AES-256-GCM for cache rows, as binary BLOBs: `0x01 | iv (12) | ciphertext | tag (16)`, a fresh
 * random IV per write. The associated data names the table, column and row (`credentials.data:<id>`),
 * so a ciphertext copied onto another row, column or table does not open there.
 *
 * Not server/crypto/secretBox.ts: that one seals strings to base64url text from a raw key Buffer,
 * which costs ~19 µs per row in Node (the key is imported on every call) and a third more bytes on
 * disk. Opening the cache decrypts every row of the search index, so this one keeps the key as a
 * KeyObject (imported once, ~6 µs per row) and stores raw bytes.
 */
export class RowCipher {
  readonly #key: KeyObject;
  // IVs are drawn from the CSPRNG 4096 at a time: one randomBytes call per seal costs ~2.5 µs.
  #ivPool = Buffer.alloc(0);
  #ivAt = 0;

  /** Copies the key; the caller should zero its buffer afterwards. */
  constructor(rawKey: Buffer) {
    if (rawKey.length !== DATA_KEY_BYTES)
      throw new CacheIntegrityError('The cache data key has the wrong length.');
    this.#key = createSecretKey(Buffer.from(rawKey));
  }

  static generateKey(): Buffer {
    return randomBytes(DATA_KEY_BYTES);
  }

  /** The raw key, to wrap it again (keyring upgrade, rotation). Zero the result after use. */
  exportKey(): Buffer {
    return this.#key.export();
  }

  seal(plaintext: Buffer | string, associatedData: string): Buffer {
    const plain = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
    const iv = this.nextIv();
    const cipher = createCipheriv(ALGORITHM, this.#key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const body = cipher.update(plain);
    cipher.final();
    const sealed = Buffer.allocUnsafe(OVERHEAD + body.length);
    sealed[0] = FORMAT;
    iv.copy(sealed, 1);
    body.copy(sealed, 1 + IV_BYTES);
    cipher.getAuthTag().copy(sealed, 1 + IV_BYTES + body.length);
    return sealed;
  }

  open(sealed: Uint8Array, associatedData: string): Buffer {
    const bytes = Buffer.isBuffer(sealed) ? sealed : Buffer.from(sealed);
    if (bytes.length < OVERHEAD || bytes[0] !== FORMAT) {
      throw new CacheIntegrityError('A cache row has an unknown format.');
    }
    try {
      const decipher = createDecipheriv(ALGORITHM, this.#key, bytes.subarray(1, 1 + IV_BYTES), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(Buffer.from(associatedData, 'utf8'));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      const plain = decipher.update(bytes.subarray(1 + IV_BYTES, bytes.length - TAG_BYTES));
      decipher.final();
      return plain;
    } catch {
      // No cause attached: nothing from the failed attempt travels further.
      throw new CacheIntegrityError('A cache row could not be opened: wrong key, moved or altered.');
    }
  }

  openText(sealed: Uint8Array, associatedData: string): string {
    return this.open(sealed, associatedData).toString('utf8');
  }

  private nextIv(): Buffer {
    if (this.#ivAt + IV_BYTES > this.#ivPool.length) {
      this.#ivPool = randomBytes(IV_BYTES * 4096);
      this.#ivAt = 0;
    }
    const iv = this.#ivPool.subarray(this.#ivAt, this.#ivAt + IV_BYTES);
    this.#ivAt += IV_BYTES;
    return iv;
  }
}
