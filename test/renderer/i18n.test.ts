/**
 * The translation resources against the source: every key exists in English and French (plural
 * forms as each language needs them), every key is used, every `t('…')` names a defined key, and
 * the French follows French typography.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import en from '../../renderer/src/i18n/en.json';
import fr from '../../renderer/src/i18n/fr.json';
import { i18n, initI18n } from '../../renderer/src/i18n/index.ts';
import { doubledPunctuation, englishWordsIn, frenchTypographyProblems } from '../support/frenchText.ts';

const SOURCE_DIR = fileURLToPath(new URL('../../renderer/src/', import.meta.url));
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;
const LANGS = { en, fr } as const;

function flatten(tree: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree as Record<string, unknown>)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(full, value);
    else for (const [k, v] of flatten(value, full)) out.set(k, v);
  }
  return out;
}

const baseKey = (key: string) => key.replace(PLURAL_SUFFIX, '');
const flat = { en: flatten(en), fr: flatten(fr) };
const bases = (lang: keyof typeof LANGS) => new Set([...flat[lang].keys()].map(baseKey));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(entry.name) ? [full] : [];
  });
}

const sources = sourceFiles(SOURCE_DIR).map((file) => ({ file, text: readFileSync(file, 'utf8') }));
/** Every quoted string in the source that looks like a key ('a.b' or "a.b"). */
const literals = new Set(
  sources.flatMap(({ text }) => [...text.matchAll(/['"]([a-zA-Z]+(?:\.[a-zA-Z]+)+)['"]/g)].map((m) => m[1])),
);
/** The keys passed to t() directly. */
const tCalls = sources.flatMap(({ file, text }) =>
  [...text.matchAll(/\bt\(\s*['"]([^'"]+)['"]/g)].map((m) => ({
    file: path.relative(SOURCE_DIR, file),
    key: m[1] as string,
  })),
);

describe('i18n resources', () => {
  it('define the same keys in English and French', () => {
    const enBases = bases('en');
    const frBases = bases('fr');
    expect(
      [...enBases].filter((key) => !frBases.has(key)),
      'missing in fr.json',
    ).toEqual([]);
    expect(
      [...frBases].filter((key) => !enBases.has(key)),
      'missing in en.json',
    ).toEqual([]);
  });

  it('have every plural form each language needs', () => {
    const missing: string[] = [];
    for (const lang of ['en', 'fr'] as const) {
      const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
      const plurals = new Set([...flat[lang].keys()].filter((key) => PLURAL_SUFFIX.test(key)).map(baseKey));
      for (const base of [
        ...plurals,
        ...[...flat[lang === 'en' ? 'fr' : 'en'].keys()].filter((k) => PLURAL_SUFFIX.test(k)).map(baseKey),
      ]) {
        for (const category of categories) {
          if (!flat[lang].has(`${base}_${category}`)) missing.push(`${lang}: ${base}_${category}`);
        }
      }
    }
    expect([...new Set(missing)]).toEqual([]);
  });

  it('have no empty text', () => {
    for (const lang of ['en', 'fr'] as const) {
      const empty = [...flat[lang]].filter(([, value]) => value.trim() === '').map(([key]) => key);
      expect(empty, lang).toEqual([]);
    }
  });

  it('use the same {{variables}} in both languages', () => {
    const variables = (text: string) =>
      [...text.matchAll(/\{\{\s*(\w+)\s*(?:,[^}]*)?\}\}/g)].map((m) => m[1]).sort();
    const mismatched: string[] = [];
    for (const [key, text] of flat.en) {
      const frText = flat.fr.get(key) ?? flat.fr.get(`${baseKey(key)}_other`);
      if (frText === undefined) continue;
      if (JSON.stringify(variables(text)) !== JSON.stringify(variables(frText))) mismatched.push(key);
    }
    expect(mismatched).toEqual([]);
  });
});

describe('i18n keys in the source', () => {
  it('finds source files and t() calls to check (the scan itself works)', () => {
    expect(sources.length).toBeGreaterThan(10);
    expect(tCalls.length).toBeGreaterThan(100);
  });

  it('name only defined keys in t() calls', () => {
    const defined = bases('en');
    const undefinedKeys = tCalls
      .filter(({ key }) => !defined.has(key))
      .map(({ file, key }) => `${file}: ${key}`);
    expect(undefinedKeys).toEqual([]);
  });

  it('use every defined key somewhere (written out literally)', () => {
    const unused = [...bases('en')].filter((key) => !literals.has(key));
    expect(unused).toEqual([]);
  });
});

describe('typography', () => {
  it('puts a no-break space before French : ; ? ! » and after «', () => {
    const problems: string[] = [];
    for (const [key, text] of flat.fr) {
      const plain = text.replace(/\{\{[^}]*\}\}/g, 'X').replace(/https?:\/\//g, '');
      if (/ [:;?!»]/.test(plain)) problems.push(`${key}: ordinary space before punctuation`);
      if (/[^\s\u00a0\u202f][;?!»]/.test(plain)) problems.push(`${key}: no space before ; ? ! »`);
      if (/[^\s\u00a0\u202f]:/.test(plain)) problems.push(`${key}: no space before :`);
      if (/«[^\u00a0\u202f]/.test(plain)) problems.push(`${key}: no space after «`);
    }
    expect(problems).toEqual([]);
  });

  it('uses the typographic apostrophe in French', () => {
    const straight = [...flat.fr].filter(([, text]) => text.includes("'")).map(([key]) => key);
    expect(straight).toEqual([]);
  });

  it('has no English word left in the French catalogue (issue 15)', () => {
    const found = [...flat.fr]
      .map(([key, text]) => [key, englishWordsIn(text)] as const)
      .filter(([, words]) => words.length > 0)
      .map(([key, words]) => `${key}: ${words.join(', ')}`);
    expect(englishWordsIn('Extraire {{name}} until 14:05')).toEqual(['until']);
    expect(found).toEqual([]);
  });

  it('follows the shared French typography rules, and doubles no punctuation in either language', () => {
    const problems = [
      ...[...flat.fr].flatMap(([key, text]) => frenchTypographyProblems(text).map((p) => `fr ${key}: ${p}`)),
      ...[...flat.en].flatMap(([key, text]) => doubledPunctuation(text).map((p) => `en ${key}: ${p}`)),
    ];
    expect(problems).toEqual([]);
  });

  it('elides "de" before a vowel in French: l’approbation d’Alice, de Maurice', async () => {
    initI18n('en');
    await i18n.changeLanguage('fr');
    expect(i18n.t('checkout.outcomeApprover', { name: 'Alice Gagnon' })).toBe(
      'La demande attendra l’approbation d’Alice Gagnon.',
    );
    expect(i18n.t('checkout.outcomeApprover', { name: 'Maurice Tremblay' })).toBe(
      'La demande attendra l’approbation de Maurice Tremblay.',
    );
    expect(i18n.t('checkout.titleRequest', { name: 'Enterprise Admin' })).toBe(
      'Demander l’accès à Enterprise Admin',
    );
    await i18n.changeLanguage('en');
    expect(i18n.t('checkout.outcomeApprover', { name: 'Alice Gagnon' })).toBe(
      'The request will wait for approval by Alice Gagnon.',
    );
  });

  it('keeps English free of French spacing', () => {
    const problems = [...flat.en].filter(([, text]) => /[\u00a0\u202f][:;?!]/.test(text)).map(([key]) => key);
    expect(problems).toEqual([]);
  });
});

describe('i18next with these resources', () => {
  it('translates, interpolates and picks plural forms in both languages', async () => {
    initI18n('en');
    expect(i18n.t('nav.checkouts')).toBe('My checkouts');
    expect(i18n.t('credentials.count', { count: 1, formatted: '1' })).toBe('1 credential');
    expect(i18n.t('credentials.count', { count: 5, formatted: '5' })).toBe('5 credentials');
    await i18n.changeLanguage('fr');
    expect(i18n.t('nav.checkouts')).toBe('Mes extractions');
    expect(i18n.t('credentials.count', { count: 1, formatted: '1' })).toBe('1 identifiant');
    expect(i18n.t('credentials.count', { count: 100000, formatted: '100 000' })).toBe('100 000 identifiants');
    expect(i18n.t('credentials.count', { count: 1000000, formatted: '1 000 000' })).toBe(
      '1 000 000 d’identifiants',
    );
    expect(i18n.t('offline.banner', { time: '14:05' })).toBe(
      'Hors ligne depuis 14:05 — données en cache affichées',
    );
    await i18n.changeLanguage('en');
  });
});
