/**
 * AES-GCM in the desktop's cache (main/cache/rowCipher.ts): a nonce reused under one key gives
 * away the XOR of two plaintexts and lets an attacker forge tags, so every seal must draw a fresh
 * IV, also across the refills of the IV pool (4 096 bytes, 341 IVs).
 */
import { describe, expect, it } from 'vitest';
import { RowCipher } from '../../main/cache/rowCipher.ts';

const IV_BYTES = 12;
const ivOf = (sealed: Buffer) => sealed.subarray(1, 1 + IV_BYTES).toString('hex');

describe('RowCipher IVs', () => {
  it('sealing the same text 2 000 times gives 2 000 different IVs and ciphertexts', () => {
    const cipher = new RowCipher(RowCipher.generateKey());
    const sealed = Array.from({ length: 2000 }, () => cipher.seal('the same secret', 'credentials.data:x'));
    expect(new Set(sealed.map(ivOf)).size).toBe(2000);
    expect(new Set(sealed.map((bytes) => bytes.toString('hex'))).size).toBe(2000);
    // And each still opens to the text.
    expect(cipher.open(sealed[1999]!, 'credentials.data:x').toString('utf8')).toBe('the same secret');
  });

  it('two ciphers (two opened caches) do not share IVs', () => {
    const key = RowCipher.generateKey();
    const first = new RowCipher(key);
    const second = new RowCipher(key);
    const ivs = new Set<string>();
    for (let i = 0; i < 400; i++) {
      ivs.add(ivOf(first.seal('x', 'a')));
      ivs.add(ivOf(second.seal('x', 'a')));
    }
    expect(ivs.size).toBe(800);
  });
});
