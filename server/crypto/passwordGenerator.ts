import { randomInt } from 'node:crypto';
import type { CharacterClass } from '../../common/policy.ts';

export const MAX_PASSWORD_LENGTH = 1024;

/** Symbols exclude quotes, backslash and space, so generated passwords survive shells and config files. */
export const CHARACTER_SETS: Readonly<Record<CharacterClass, string>> = {
  lower: 'abcdefghijklmnopqrstuvwxyz',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digit: '0123456789',
  symbol: '!#$%&()*+,-./:;<=>?@[]^_{|}~',
};

/**
 * A random password of `length` characters drawn from the requested classes, with at least one
 * character of each class. Uses crypto.randomInt (unbiased) for every choice and a Fisher-Yates
 * shuffle so the guaranteed characters sit at random positions. Repeated classes count once.
 *
 * Throws RangeError if `classes` is empty or unknown, or `length` is not an integer between the
 * number of classes and MAX_PASSWORD_LENGTH.
 */
export function generatePassword(length: number, classes: readonly CharacterClass[]): string {
  const unique = [...new Set(classes)];
  if (unique.length === 0) throw new RangeError('At least one character class is required.');
  for (const c of unique) {
    if (!Object.hasOwn(CHARACTER_SETS, c)) throw new RangeError(`Unknown character class: ${String(c)}.`);
  }
  if (!Number.isInteger(length) || length < unique.length || length > MAX_PASSWORD_LENGTH) {
    throw new RangeError(
      `Password length must be an integer from ${unique.length} (one per class) to ${MAX_PASSWORD_LENGTH}.`,
    );
  }

  const sets = unique.map((c) => CHARACTER_SETS[c]);
  const alphabet = sets.join('');
  const chars = sets.map(pick);
  while (chars.length < length) chars.push(pick(alphabet));

  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    const tmp = chars[i]!;
    chars[i] = chars[j]!;
    chars[j] = tmp;
  }
  return chars.join('');
}

function pick(set: string): string {
  return set[randomInt(set.length)]!;
}
