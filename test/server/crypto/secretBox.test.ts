import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox, SecretBoxError } from '../../../server/crypto/secretBox.ts';

const KEY = Buffer.alloc(32, 7);
const AAD = '3f2b8c1e-0000-4000-8000-000000000001';
const SECRET = 'correct horse battery staple ✓';

/** Replaces one character of `text` at `index` with a different base64url character. */
function alter(text: string, index: number): string {
  const c = text[index]!;
  return text.slice(0, index) + (c === 'A' ? 'B' : 'A') + text.slice(index + 1);
}

function expectOpenFails(box: SecretBox, sealed: string, aad = AAD): SecretBoxError {
  let caught: unknown;
  try {
    box.open(sealed, aad);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(SecretBoxError);
  const error = caught as SecretBoxError;
  expect(error).toBeInstanceOf(Error);
  expect(error.name).toBe('SecretBoxError');
  expect(error.message).not.toContain(SECRET);
  expect(error.message).not.toContain(KEY.toString('base64'));
  expect(error.message).not.toContain(KEY.toString('hex'));
  return error;
}

describe('SecretBox', () => {
  const box = SecretBox.fromKey(KEY);

  it('round-trips plaintext, including empty and long unicode strings', () => {
    for (const plaintext of [SECRET, '', 'x', 'ü'.repeat(5000)]) {
      expect(box.open(box.seal(plaintext, AAD), AAD)).toBe(plaintext);
    }
  });

  it('opens with a second instance built from the same key bytes', () => {
    expect(SecretBox.fromKey(Buffer.from(KEY)).open(box.seal(SECRET, AAD), AAD)).toBe(SECRET);
  });

  it('produces the compact v1 format with a 12-byte IV and 16-byte tag', () => {
    const sealed = box.seal(SECRET, AAD);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const [, iv, ciphertext, tag] = sealed.split('.');
    expect(Buffer.from(iv!, 'base64url')).toHaveLength(12);
    expect(Buffer.from(tag!, 'base64url')).toHaveLength(16);
    expect(Buffer.from(ciphertext!, 'base64url')).toHaveLength(Buffer.byteLength(SECRET));
  });

  it('uses a fresh IV each time', () => {
    const a = box.seal(SECRET, AAD);
    const b = box.seal(SECRET, AAD);
    expect(a).not.toBe(b);
    expect(a.split('.')[1]).not.toBe(b.split('.')[1]);
  });

  it('does not reveal the plaintext in the sealed string', () => {
    const plaintext = 'hunter2-Sup3rSecret';
    const sealed = box.seal(plaintext, AAD);
    expect(sealed).not.toContain(plaintext);
    expect(sealed).not.toContain(Buffer.from(plaintext).toString('base64url'));
    expect(sealed).not.toContain(Buffer.from(plaintext).toString('base64'));
  });

  it('rejects tampering with each part, at every position', () => {
    const sealed = box.seal(SECRET, AAD);
    const parts = sealed.split('.');
    for (let part = 1; part < 4; part++) {
      for (let i = 0; i < parts[part]!.length; i++) {
        const tampered = [...parts];
        tampered[part] = alter(parts[part]!, i);
        expectOpenFails(box, tampered.join('.'));
      }
    }
  });

  it('rejects flipped bits in the decoded ciphertext, IV and tag', () => {
    const parts = box.seal(SECRET, AAD).split('.');
    for (let part = 1; part < 4; part++) {
      const bytes = Buffer.from(parts[part]!, 'base64url');
      for (let i = 0; i < bytes.length; i++) {
        const flipped = Buffer.from(bytes);
        flipped[i]! ^= 0x01;
        const tampered = [...parts];
        tampered[part] = flipped.toString('base64url');
        expectOpenFails(box, tampered.join('.'));
      }
    }
  });

  it('rejects non-canonical base64url that decodes to the same bytes', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const parts = box.seal(SECRET, AAD).split('.');
    // The tag (16 bytes) and this ciphertext (31 bytes) end in a character with unused low bits.
    for (const part of [2, 3]) {
      const text = parts[part]!;
      const last = alphabet.indexOf(text.at(-1)!);
      const sloppy = text.slice(0, -1) + alphabet[last + 1];
      expect(Buffer.from(sloppy, 'base64url').equals(Buffer.from(text, 'base64url'))).toBe(true);
      const tampered = [...parts];
      tampered[part] = sloppy;
      expectOpenFails(box, tampered.join('.'));
    }
  });

  it('rejects a changed version, swapped or truncated parts, and junk', () => {
    const sealed = box.seal(SECRET, AAD);
    const [, iv, ct, tag] = sealed.split('.');
    for (const bad of [
      `v2.${iv}.${ct}.${tag}`,
      `${iv}.${ct}.${tag}`,
      `v1.${iv}.${ct}`,
      `v1.${iv}.${ct}.${tag}.extra`,
      `v1.${ct}.${iv}.${tag}`,
      `v1.${iv}.${ct}.${tag!.slice(0, 16)}`,
      `v1.${iv}.${ct}.${tag}=`,
      `v1.${iv}.${ct}+.${tag}`,
      '',
      'v1...',
      'not sealed at all',
    ]) {
      expectOpenFails(box, bad);
    }
  });

  it('rejects the wrong associated data, so a ciphertext cannot move to another row', () => {
    const sealed = box.seal(SECRET, AAD);
    expectOpenFails(box, sealed, '3f2b8c1e-0000-4000-8000-000000000002');
    expectOpenFails(box, sealed, '');
    expectOpenFails(box, sealed, `${AAD} `);
  });

  it('rejects the wrong key', () => {
    const sealed = box.seal(SECRET, AAD);
    expectOpenFails(SecretBox.fromKey(randomBytes(32)), sealed);
    const oneBitOff = Buffer.from(KEY);
    oneBitOff[31]! ^= 0x80;
    expectOpenFails(SecretBox.fromKey(oneBitOff), sealed);
  });

  it('requires a 32-byte key and copies it', () => {
    expect(() => SecretBox.fromKey(Buffer.alloc(16))).toThrow(SecretBoxError);
    expect(() => SecretBox.fromKey(Buffer.alloc(33))).toThrow(SecretBoxError);
    const key = randomBytes(32);
    const own = SecretBox.fromKey(key);
    const sealed = own.seal(SECRET, AAD);
    key.fill(0);
    expect(own.open(sealed, AAD)).toBe(SECRET);
  });
});
