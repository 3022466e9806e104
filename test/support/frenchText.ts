/**
 * Checks on French text shared by the renderer and CLI tests (issue 15): English words left in it,
 * and French typography (no-break space before : ; ? ! », after «; ’ rather than '; no doubled
 * punctuation such as "?.").
 */

/**
 * English words that are not also French words. A French string containing one was most likely
 * left untranslated. (Words both languages share — "options", "message", "description",
 * "minutes", "date", "action", "audit" — are not listed.)
 */
export const ENGLISH_WORDS = new Set(
  `the and you your with request requests requested checkout checkouts checked credential credentials
  password passwords approve approved approval deny denied please cancel canceled cancelled pending until
  left failed error running sign signed settings vault vaults loading search copy copied clipboard available
  required reason duration hours server user users show hide back next save close yes not is are was will
  can cannot this that for from of none free status expires expired extend history details filter filters
  time when who which what choices default command commands global`
    .split(/\s+/)
    .filter(Boolean),
);

/** Technical tokens a French text may carry as they are: options, commands, placeholders, names. */
export function withoutTechnicalTokens(text: string): string {
  return (
    text
      .replace(/\{\{[^}]*\}\}/g, ' ')
      // A product's name, as Devolutions' French pages write it.
      .replace(/\bDevolutions Server\b/g, ' ')
      .replace(/https?:\/\/\S+/g, ' ')
      .replace(/\bcoffre(?: [a-z-]+){1,2}/g, ' ')
      .replace(/(^|\s|\()--?[a-z][\w-]*/g, ' ')
      .replace(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/g, ' ')
      .replace(/<[^>]*>|\[[^\]]*\]|\$\w+|"[^"]*"/g, ' ')
      .replace(/«\u00a0[^\s«»]+\u00a0»/g, ' ')
      .replace(/\b[\w.]*[A-Z][\w.]*-[\w.-]+\b|\b\w+-\w+(?:-\w+)*\b/g, ' ')
  );
}

/** The English words found in a French text (after its technical tokens are set aside). */
export function englishWordsIn(text: string): string[] {
  const words =
    withoutTechnicalTokens(text)
      .toLowerCase()
      .match(/[a-z’']+/g) ?? [];
  return [...new Set(words.filter((word) => ENGLISH_WORDS.has(word)))];
}

/** Typographic problems of a French text, described. */
export function frenchTypographyProblems(text: string): string[] {
  const plain = text
    .replace(/\{\{[^}]*\}\}/g, 'X')
    .replace(/https?:\/\/\S*/g, 'U')
    .replace(/\d:\d/g, '0')
    .replace(/"[^"]*"/g, 'Q');
  const problems: string[] = [];
  if (/ [:;?!»]/.test(plain)) problems.push('ordinary space before : ; ? ! » (use a no-break space)');
  if (/[^\s\u00a0\u202f][;?!»]/.test(plain)) problems.push('no space before ; ? ! »');
  if (/[^\s\u00a0\u202f]:/.test(plain)) problems.push('no space before :');
  if (/«[^\u00a0\u202f]/.test(plain)) problems.push('no space after «');
  if (/[A-Za-zÀ-ÿ]'[A-Za-zÀ-ÿ]/.test(plain)) problems.push('straight apostrophe (use ’)');
  problems.push(...doubledPunctuation(text));
  return problems;
}

/** "?." "!." ".." ",." — in either language ("…" is fine). */
export function doubledPunctuation(text: string): string[] {
  return /[?!.,;:]\.(?!\.)|[?!]\s*[.:]$/.test(text.replace(/\.\.\./g, '…')) ? ['doubled punctuation'] : [];
}
