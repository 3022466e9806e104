/** The English and French messages have exactly the same keys, and the language is picked as documented. */
import { describe, expect, it } from 'vitest';
import { detectLang, MESSAGES } from '../../cli/messages.ts';

function keyPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) =>
    keyPaths(child, prefix ? `${prefix}.${key}` : key),
  );
}

function leaves(value: unknown, prefix = ''): Array<[string, unknown]> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [[prefix, value]];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) =>
    leaves(child, prefix ? `${prefix}.${key}` : key),
  );
}

describe('messages', () => {
  it('en and fr have exactly the same keys', () => {
    const en = keyPaths(MESSAGES.en).sort();
    const fr = keyPaths(MESSAGES.fr).sort();
    expect(fr.filter((key) => !en.includes(key))).toEqual([]);
    expect(en.filter((key) => !fr.includes(key))).toEqual([]);
  });

  it('each message is the same kind of thing on both sides, and never empty', () => {
    const fr = new Map(leaves(MESSAGES.fr));
    for (const [key, value] of leaves(MESSAGES.en)) {
      const other = fr.get(key);
      expect(typeof other, key).toBe(typeof value);
      if (typeof value === 'function') expect((other as () => string).length, key).toBe(value.length);
      if (typeof value === 'string') expect((other as string).length, key).toBeGreaterThan(0);
    }
  });
});

describe('detectLang', () => {
  it('--lang wins, then LC_ALL, LC_MESSAGES, LANG; fr* is French, anything else English', () => {
    expect(detectLang(['--lang', 'fr'], { LANG: 'en_US.UTF-8' })).toBe('fr');
    expect(detectLang(['--lang=en'], { LANG: 'fr_FR.UTF-8' })).toBe('en');
    expect(detectLang([], { LANG: 'fr_FR.UTF-8' })).toBe('fr');
    expect(detectLang([], { LANG: 'fr_CA.UTF-8' })).toBe('fr');
    expect(detectLang([], { LC_ALL: 'C', LANG: 'fr_FR.UTF-8' })).toBe('en');
    expect(detectLang([], { LC_MESSAGES: 'fr_BE', LANG: 'en_GB' })).toBe('fr');
    expect(detectLang([], { LANG: 'de_DE.UTF-8' })).toBe('en');
    expect(detectLang([], {})).toBe('en');
    expect(detectLang(['--', '--lang', 'fr'], {})).toBe('en');
  });
});
