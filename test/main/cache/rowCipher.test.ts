/**
 * The cache's row cipher (main/cache/rowCipher.ts) on its own: the key it takes, the layout it
 * writes, and every way a row refuses to open (each with its own message, none with plaintext).
 * Written against the mutants that survived the cache tests (docs/mutation.md, scope row-cipher).
 */
import { describe, expect, it } from 'vitest';
import { CacheIntegrityError, DATA_KEY_BYTES, RowCipher } from '../../../main/cache/rowCipher.ts';

const AD = 'credentials.data:c1';
const SECRET = 'a secret Ünïcödé €';
const cipher = new RowCipher(RowCipher.generateKey());

function refusal(open: () => unknown): CacheIntegrityError {
  try {
    open();
  } catch (error) {
    expect(error).toBeInstanceOf(CacheIntegrityError);
    return error as CacheIntegrityError;
  }
  throw new Error('the row opened');
}

describe('RowCipher keys', () => {
  it('takes a 32-byte key only, refusing others with a named error', () => {
    expect(RowCipher.generateKey()).toHaveLength(DATA_KEY_BYTES);
    expect(DATA_KEY_BYTES).toBe(32);
    for (const length of [0, 16, 31, 33]) {
      const error = refusal(() => new RowCipher(Buffer.alloc(length, 7)));
      expect(error.name).toBe('CacheIntegrityError');
      expect(error.message).toBe('The cache data key has the wrong length.');
    }
  });

  it('exports the key it was given (to wrap it again), and a cipher on it opens the rows', () => {
    const key = RowCipher.generateKey();
    const first = new RowCipher(key);
    expect(first.exportKey().equals(key)).toBe(true);
    const sealed = first.seal(SECRET, AD);
    key.fill(0); // the caller zeroes its copy: the cipher kept its own
    expect(new RowCipher(first.exportKey()).openText(sealed, AD)).toBe(SECRET);
  });
});

describe('RowCipher rows', () => {
  it('writes 0x01 | IV (12) | ciphertext | tag (16), the ciphertext as long as the text', () => {
    const plain = Buffer.from(SECRET, 'utf8');
    const sealed = cipher.seal(SECRET, AD);
    expect(sealed[0]).toBe(0x01);
    expect(sealed).toHaveLength(1 + 12 + plain.length + 16);
    expect(sealed.includes(plain)).toBe(false);
    expect(cipher.open(sealed, AD).equals(plain)).toBe(true);
  });

  it('seals bytes and text alike, and opens a row handed over as a plain Uint8Array (SQLite BLOB)', () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const sealed = cipher.seal(bytes, AD);
    expect(cipher.open(new Uint8Array(sealed), AD).equals(bytes)).toBe(true);
    expect(cipher.openText(Uint8Array.from(cipher.seal(SECRET, AD)), AD)).toBe(SECRET);
  });

  it('an empty text makes the shortest row, which opens', () => {
    const sealed = cipher.seal('', AD);
    expect(sealed).toHaveLength(29);
    expect(cipher.openText(sealed, AD)).toBe('');
  });

  it('refuses rows shorter than the envelope or of another format, saying so', () => {
    const sealed = cipher.seal(SECRET, AD);
    const otherFormat = Buffer.from(sealed);
    otherFormat[0] = 0x02;
    const short = Buffer.concat([Buffer.from([0x01]), Buffer.alloc(27)]);
    for (const row of [otherFormat, short, Buffer.alloc(0), sealed.subarray(0, 28)]) {
      expect(refusal(() => cipher.open(row, AD)).message).toBe('A cache row has an unknown format.');
    }
  });

  it('refuses a row moved to another row, altered anywhere, or opened with another key', () => {
    const sealed = cipher.seal(SECRET, AD);
    const message = 'A cache row could not be opened: wrong key, moved or altered.';
    expect(refusal(() => cipher.open(sealed, 'credentials.data:c2')).message).toBe(message);
    for (const at of [1, 12, 13, sealed.length - 17, sealed.length - 1]) {
      const altered = Buffer.from(sealed);
      altered[at] = altered[at]! ^ 0x01;
      const error = refusal(() => cipher.open(altered, AD));
      expect(error.message).toBe(message);
      expect(error.cause).toBeUndefined();
      expect(String(error.stack)).not.toContain(SECRET);
    }
    const other = new RowCipher(RowCipher.generateKey());
    expect(refusal(() => other.open(sealed, AD)).message).toBe(message);
  });
});
