import { describe, expect, it } from 'vitest';
import { hashToken, newGuid, newToken } from '../../../server/crypto/tokens.ts';

describe('tokens', () => {
  it('newToken is 32 random bytes in base64url', () => {
    const token = newToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
  });

  it('newToken is unique and looks random', () => {
    const tokens = Array.from({ length: 2000 }, newToken);
    expect(new Set(tokens).size).toBe(tokens.length);
    // Every bit position is set in roughly half the tokens (2000 samples: expect 1000, sd ≈ 22).
    const counts = new Array<number>(256).fill(0);
    for (const token of tokens) {
      const bytes = Buffer.from(token, 'base64url');
      for (let bit = 0; bit < 256; bit++) counts[bit]! += (bytes[bit >> 3]! >> (bit & 7)) & 1;
    }
    for (const count of counts) {
      expect(count).toBeGreaterThan(850);
      expect(count).toBeLessThan(1150);
    }
  });

  it('hashToken is deterministic SHA-256 hex and differs between tokens', () => {
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const token = newToken();
    expect(hashToken(token)).toBe(hashToken(token));
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token)).not.toBe(hashToken(newToken()));
    expect(hashToken(token)).not.toContain(token);
  });

  it('newGuid is a unique lowercase v4 UUID', () => {
    const guids = Array.from({ length: 1000 }, newGuid);
    for (const guid of guids) {
      expect(guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(new Set(guids).size).toBe(guids.length);
  });
});
