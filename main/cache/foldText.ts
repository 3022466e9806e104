/**
 * The one text normalization the cache searches with: lowercase, accents removed, compatibility
 * forms unified (full-width letters, ligatures), control characters turned into spaces. The
 * search index stores folded text and folds each query the same way, so "Montreal" finds
 * "MONTRÉAL" and "zurich" finds "Zürich".
 *
 * Changing this function changes what stored folded text means: bump SEARCH_FOLD_VERSION, and
 * rows folded by an older version are folded again from their data when the cache opens.
 */
export const SEARCH_FOLD_VERSION = 1;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const NONSPACING_MARKS = /\p{Mn}/gu;
// Controls never reach the index: U+0001 separates fields there.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
// Letters NFKD does not decompose into a base letter and a mark, and typographic punctuation
// (which would also make the index a two-byte string, half as fast to scan).
const LETTERS: Record<string, string> = {
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2015': '-',
  '\u2212': '-',
  '\u2018': "'",
  '\u2019': "'",
  '\u201c': '"',
  '\u201d': '"',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  ı: 'i',
  þ: 'th',
};
const LETTERS_PATTERN = /[ßæœøđðłıþ\u2010-\u2015\u2212\u2018\u2019\u201c\u201d]/g;

export function foldForSearch(value: string): string {
  // Most names, users and hosts are plain ASCII: skip Unicode normalization for them.
  if (PRINTABLE_ASCII.test(value)) return value.toLowerCase();
  return value
    .normalize('NFKD')
    .toLowerCase()
    .replace(NONSPACING_MARKS, '')
    .replace(LETTERS_PATTERN, (letter) => LETTERS[letter] ?? letter)
    .replace(CONTROLS, ' ');
}
