/**
 * Text a person must be able to read: a required reason, a name. Invisible characters (zero-width
 * spaces and joiners, BOMs, bidi controls: Unicode format characters, Cf; control characters,
 * Cc) would let a "required" field be filled with nothing anyone can see, or make two names look
 * the same.
 */

/** NFC, without format and control characters (line breaks and tabs kept), trimmed. */
export function normalizeText(value: string): string {
  return value
    .normalize('NFC')
    .replace(/[\p{Cf}\p{Cc}]/gu, (char) => (char === '\n' || char === '\t' ? char : ''))
    .trim();
}

/**
 * Blank-looking characters that Unicode files as letters or symbols (Hangul fillers, the braille
 * blank): they do not count as visible.
 */
const BLANK_LOOKING = /[\u115F\u1160\u3164\uFFA0\u2800]/gu;

/** At least one letter, digit, punctuation mark or symbol that shows. */
export function hasVisibleText(value: string): boolean {
  return /[\p{L}\p{N}\p{P}\p{S}]/u.test(value.replace(BLANK_LOOKING, ''));
}

/** `normalizeText`, then '' unless something visible is left. */
export function visibleTextOrEmpty(value: string): string {
  const normalized = normalizeText(value);
  return hasVisibleText(normalized) ? normalized : '';
}
