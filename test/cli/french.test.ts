/**
 * Issue 15, item 13: the CLI's French reads as French — every message of the catalogue and the
 * help of every command, commander's own words included — and follows French typography; neither
 * language doubles its punctuation.
 */
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { Cli } from '../../cli/context.ts';
import { buildProgram } from '../../cli/main.ts';
import { MESSAGES, type Messages } from '../../cli/messages.ts';
import { localizeServerError } from '../../common/serverErrorText.ts';
import { doubledPunctuation, englishWordsIn, frenchTypographyProblems } from '../support/frenchText.ts';

/** Every text of a catalogue, functions called with sample values: [path, text]. */
function texts(tree: unknown, path = ''): Array<[string, string]> {
  if (typeof tree === 'string') return [[path, tree]];
  if (typeof tree === 'function') {
    const sample = (tree as (...args: unknown[]) => string)('Alice', 'Oracle SYS', '2 h', '8 h');
    return typeof sample === 'string' ? [[path, sample]] : [];
  }
  if (!tree || typeof tree !== 'object') return [];
  return Object.entries(tree).flatMap(([key, value]) => texts(value, path ? `${path}.${key}` : key));
}

/** The help of the program and of every command, in a language. */
function helpTexts(t: Messages): Array<[string, string]> {
  const cli = new Cli(
    {
      io: { stdout: { write: () => true }, stderr: { write: () => true }, stdin: process.stdin, env: {} },
      createBackend: () => Promise.reject(new Error('no server in this test')),
      keychain: async () => null,
      clipboard: () => null,
    },
    t,
    t.lang,
  );
  const out: Array<[string, string]> = [];
  const visit = (command: Command, path: string) => {
    out.push([path, command.helpInformation()]);
    for (const sub of command.commands) visit(sub, `${path} ${sub.name()}`);
  };
  visit(buildProgram(cli), 'coffre');
  return out;
}

/** A help page's words: the description column (commands and options keep their names). */
function helpProse(help: string): string {
  return help
    .split('\n')
    .map((line) => /^ {2}\S.*? {2,}(.*)$/.exec(line)?.[1] ?? line)
    .join('\n');
}

const catalogue = texts(MESSAGES.fr).filter(([path]) => !path.startsWith('help.titles') && path !== 'lang');

describe('French CLI', () => {
  it('finds the texts to check (the scan itself works)', () => {
    expect(catalogue.length).toBeGreaterThan(150);
    expect(helpTexts(MESSAGES.fr).length).toBeGreaterThan(15);
    // The checks catch what they are for.
    expect(englishWordsIn('le mot de passe is required')).toEqual(['is', 'required']);
    expect(frenchTypographyProblems("Mot de passe : l'hôte")).toHaveLength(2);
    expect(doubledPunctuation('is the server running?.')).not.toEqual([]);
  });

  it('has no English word in the French catalogue', () => {
    const found = catalogue
      .map(([path, text]) => [path, englishWordsIn(text)] as const)
      .filter(([, words]) => words.length > 0)
      .map(([path, words]) => `${path}: ${words.join(', ')}`);
    expect(found).toEqual([]);
  });

  it('has no English word in the French help of any command (commander’s own words included)', () => {
    const found = helpTexts(MESSAGES.fr)
      .map(([path, help]) => [path, englishWordsIn(helpProse(help))] as const)
      .filter(([, words]) => words.length > 0)
      .map(([path, words]) => `${path}: ${words.join(', ')}`);
    expect(found).toEqual([]);
  });

  it('translates the server’s messages', () => {
    for (const [code, message] of [
      ['conflict', 'You already have an open checkout or request for this credential.'],
      ['unauthorized', 'The username or password is incorrect.'],
      ['not_found', 'The checkout was not found.'],
      [
        'network',
        'Could not reach the server at http://127.0.0.1:1: the connection was refused; is the server running?',
      ],
    ] as const) {
      const french = localizeServerError(code, message, 'fr');
      expect(french).not.toBe(message);
      expect(englishWordsIn(french), french).toEqual([]);
    }
  });

  it('follows French typography in the catalogue and the help', () => {
    const problems = [...catalogue, ...helpTexts(MESSAGES.fr)].flatMap(([path, text]) =>
      frenchTypographyProblems(text).map((problem) => `${path}: ${problem}`),
    );
    expect(problems).toEqual([]);
  });

  it('elides "de" before a vowel: l’approbation d’Alice, de Maurice', () => {
    expect(MESSAGES.fr.notices.checkoutPending('Enterprise Admin', 'Alice Gagnon')).toBe(
      'La demande d’accès à Enterprise Admin attend l’approbation d’Alice Gagnon.',
    );
    expect(MESSAGES.fr.notices.approvedDone('Oracle SYS', 'maurice')).toBe(
      'Demande de maurice pour Oracle SYS approuvée.',
    );
  });

  it('doubles no punctuation in English either', () => {
    const problems = [...texts(MESSAGES.en), ...helpTexts(MESSAGES.en)].filter(
      ([, text]) => doubledPunctuation(text).length > 0,
    );
    expect(problems).toEqual([]);
  });
});
