import { describe, expect, it } from 'vitest';
import type { CharacterClass } from '../../../common/policy.ts';
import { generatePassword } from '../../../server/crypto/passwordGenerator.ts';

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGIT = '0123456789';
const SYMBOL = '!#$%&()*+,-./:;<=>?@[]^_{|}~';
const SETS: Record<CharacterClass, string> = { lower: LOWER, upper: UPPER, digit: DIGIT, symbol: SYMBOL };
const ALL: CharacterClass[] = ['lower', 'upper', 'digit', 'symbol'];

const has = (password: string, set: string) => [...password].some((c) => set.includes(c));

describe('generatePassword', () => {
  it('returns exactly the requested length', () => {
    for (const length of [4, 5, 8, 16, 32, 128, 1024]) {
      expect(generatePassword(length, ALL)).toHaveLength(length);
    }
    expect(generatePassword(1, ['digit'])).toMatch(/^[0-9]$/);
  });

  it('always includes every requested class (1000 runs each, shortest possible length)', () => {
    const combos: CharacterClass[][] = [
      ALL,
      ['lower', 'digit'],
      ['upper', 'symbol'],
      ['digit', 'symbol', 'lower'],
    ];
    for (const classes of combos) {
      for (let run = 0; run < 1000; run++) {
        const password = generatePassword(classes.length + (run % 3), classes);
        for (const c of classes) expect(has(password, SETS[c]), `${classes} → ${password}`).toBe(true);
      }
    }
  });

  it('uses only characters of the requested classes', () => {
    for (const classes of [...ALL.map((c) => [c]), ALL] as CharacterClass[][]) {
      const allowed = new Set(classes.flatMap((c) => [...SETS[c]]));
      for (let run = 0; run < 200; run++) {
        for (const c of generatePassword(64, classes)) expect(allowed.has(c), `${classes}: ${c}`).toBe(true);
      }
    }
  });

  it('never produces quotes, backslash or whitespace', () => {
    const password = Array.from({ length: 50 }, () => generatePassword(1024, ALL)).join('');
    expect(password).not.toMatch(/["'`\\\s]/);
    // And the symbol set is the documented one, each symbol actually used.
    for (const s of SYMBOL) expect(password).toContain(s);
  });

  it('places the guaranteed characters at random positions', () => {
    // With 4 classes in 4 characters, each class must land in each position sometimes.
    const seen = ALL.map(() => new Set<number>());
    for (let run = 0; run < 400; run++) {
      const password = generatePassword(4, ALL);
      ALL.forEach((c, k) => {
        seen[k]!.add([...password].findIndex((ch) => SETS[c].includes(ch)));
      });
    }
    for (const positions of seen) expect(positions.size).toBe(4);
  });

  it('draws lowercase letters roughly uniformly (20000 characters, each within ±25%)', () => {
    const counts = new Map<string, number>();
    for (let run = 0; run < 20; run++) {
      for (const c of generatePassword(1000, ['lower'])) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    const expected = 20000 / 26;
    expect(counts.size).toBe(26);
    let chiSquare = 0;
    for (const letter of LOWER) {
      const count = counts.get(letter) ?? 0;
      expect(count).toBeGreaterThan(expected * 0.75);
      expect(count).toBeLessThan(expected * 1.25);
      chiSquare += (count - expected) ** 2 / expected;
    }
    // 25 degrees of freedom: p(χ² > 80) is about 1e-7.
    expect(chiSquare).toBeLessThan(80);
  });

  it('does not repeat itself', () => {
    const passwords = Array.from({ length: 1000 }, () => generatePassword(16, ALL));
    expect(new Set(passwords).size).toBe(passwords.length);
  });

  it('throws RangeError for impossible requests', () => {
    expect(() => generatePassword(8, [])).toThrow(RangeError);
    expect(() => generatePassword(3, ALL)).toThrow(RangeError);
    expect(() => generatePassword(1, ['lower', 'upper'])).toThrow(RangeError);
    expect(() => generatePassword(0, ['lower'])).toThrow(RangeError);
    expect(() => generatePassword(-5, ['lower'])).toThrow(RangeError);
    expect(() => generatePassword(1025, ['lower'])).toThrow(RangeError);
    expect(() => generatePassword(8.5, ['lower'])).toThrow(RangeError);
    expect(() => generatePassword(Number.NaN, ['lower'])).toThrow(RangeError);
    expect(() => generatePassword(8, ['emoji' as CharacterClass])).toThrow(RangeError);
    expect(generatePassword(1024, ALL)).toHaveLength(1024);
  });

  it('counts a repeated class once', () => {
    expect(generatePassword(1, ['lower', 'lower'])).toMatch(/^[a-z]$/);
  });
});
