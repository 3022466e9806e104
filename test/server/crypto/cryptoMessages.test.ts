/**
 * What each refusal of the server's crypto says (server/crypto/secretBox.ts, passwordGenerator.ts):
 * the other tests check that bad input is refused; these check it is refused for the right reason,
 * at the check meant for it (a malformed value is not reported as tampered, nor fails with a
 * TypeError). Written against the mutants that survived (docs/mutation.md, scope server-crypto).
 */
import { describe, expect, it } from 'vitest';
import { generatePassword } from '../../../server/crypto/passwordGenerator.ts';
import { SecretBox, SecretBoxError } from '../../../server/crypto/secretBox.ts';

const box = SecretBox.fromKey(Buffer.alloc(32, 7));
const AAD = 'credential-1';
const b64 = (bytes: number) => Buffer.alloc(bytes, 1).toString('base64url');

function refusal(open: () => unknown): SecretBoxError {
  try {
    open();
  } catch (error) {
    expect(error).toBeInstanceOf(SecretBoxError);
    expect((error as Error).name).toBe('SecretBoxError');
    return error as SecretBoxError;
  }
  throw new Error('it opened');
}

describe('SecretBox refusals', () => {
  it('a key of another size', () => {
    expect(refusal(() => SecretBox.fromKey(Buffer.alloc(31))).message).toBe(
      'SecretBox key must be exactly 32 bytes.',
    );
  });

  it('not a v1 value of four parts, or not a string at all: unknown format', () => {
    const [, iv, ct, tag] = box.seal('x', AAD).split('.');
    for (const sealed of ['', `v2.${iv}.${ct}.${tag}`, `v1.${iv}.${ct}`, 42 as unknown as string]) {
      expect(refusal(() => box.open(sealed, AAD)).message).toBe(
        'Sealed value has an unknown format or version.',
      );
    }
  });

  it('a part that is not base64url, an IV that is not 12 bytes, a tag that is not 16: malformed', () => {
    const [, iv, ct, tag] = box.seal('x', AAD).split('.');
    for (const sealed of [
      `v1.$${iv}.${ct}.${tag}`,
      `v1.${iv}.${ct}$.${tag}`,
      `v1.${iv}.${ct}.${tag}=`,
      `v1.${b64(11)}.${ct}.${tag}`,
      `v1.${b64(16)}.${ct}.${tag}`,
      `v1.${iv}.${ct}.${b64(15)}`,
      `v1.${iv}.${ct}.${b64(12)}`,
    ]) {
      expect(refusal(() => box.open(sealed, AAD)).message, sealed).toBe('Sealed value is malformed.');
    }
  });

  it('well formed but altered, or with other associated data: could not be opened', () => {
    const [, iv, ct, tag] = box.seal('a secret', AAD).split('.');
    const message = 'Sealed value could not be opened: wrong key, wrong associated data, or tampered data.';
    expect(refusal(() => box.open(`v1.${iv}.${ct}.${b64(16)}`, AAD)).message).toBe(message);
    expect(refusal(() => box.open(`v1.${iv}..${tag}`, AAD)).message).toBe(message);
    expect(refusal(() => box.open(`v1.${iv}.${ct}.${tag}`, 'credential-2')).message).toBe(message);
  });
});

describe('generatePassword refusals', () => {
  it('say what is wrong', () => {
    expect(() => generatePassword(8, [])).toThrow(
      new RangeError('At least one character class is required.'),
    );
    expect(() => generatePassword(8, ['lower', 'emoji' as never])).toThrow(
      new RangeError('Unknown character class: emoji.'),
    );
    expect(() => generatePassword(1, ['lower', 'digit'])).toThrow(
      new RangeError('Password length must be an integer from 2 (one per class) to 1024.'),
    );
  });
});
