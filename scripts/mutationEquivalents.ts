/**
 * Surviving mutants that no test can kill because they change no behaviour (equivalent mutants),
 * each with the reason. A survivor matches an entry by file, mutator, the code it changed and (when
 * given) its replacement, not by line, so an entry outlives edits elsewhere in the file; a survivor
 * that matches none is reported as a missing test (docs/mutation.md).
 */
export interface EquivalentMutant {
  file: string;
  mutator: string;
  /** The code the mutant changes, as Stryker shows it (whitespace runs count as one space). */
  original: string;
  /** Absent: every replacement of that code by that mutator. */
  replacement?: string;
  why: string;
}

/**
 * A survivor of a recorded run that a test written after that run aims at: reported as such (not
 * as a missing test) until the scope is run again, which counts it for real. Remove the entry then.
 */
export interface TargetedMutant {
  file: string;
  mutator: string;
  original: string;
  replacement?: string;
  /** The test file (and test name) written against it. */
  test: string;
}

export const EQUIVALENT_MUTANTS: readonly EquivalentMutant[] = [
  {
    file: 'main/services/exposedSecrets.ts',
    mutator: 'ConditionalExpression',
    original: '!held',
    replacement: 'false',
    why:
      'a shortcut: with nothing held (null), no checkout matches, and withdraw(null) clears nothing ' +
      '(clearForCredential compares null with no held credential) and hides nothing (no timer under null).',
  },
  {
    file: 'main/cache/rowCipher.ts',
    mutator: 'ConditionalExpression',
    original: "typeof plaintext === 'string'",
    why:
      'the branch only converts: cipher.update reads a string as UTF-8 and Buffer.from(buffer) copies ' +
      'the bytes, so either branch hands the cipher the same bytes.',
  },
  {
    file: 'main/cache/rowCipher.ts',
    mutator: 'EqualityOperator',
    original: "typeof plaintext === 'string'",
    why: 'as above: both branches give the cipher the same bytes.',
  },
  {
    file: 'main/cache/rowCipher.ts',
    mutator: 'StringLiteral',
    original: "'string'",
    why: 'as above: both branches give the cipher the same bytes.',
  },
  {
    file: 'main/cache/rowCipher.ts',
    mutator: 'StringLiteral',
    original: "'utf8'",
    replacement: '""',
    why: "Node reads the encoding '' as UTF-8 (Buffer.from('é', '') is c3 a9).",
  },
  {
    file: 'main/cache/rowCipher.ts',
    mutator: 'ObjectLiteral',
    original: '{ authTagLength: TAG_BYTES }',
    why: 'GCM’s tags are 16 bytes by default: the same tag is written.',
  },
  {
    file: 'main/cache/rowCipher.ts',
    mutator: 'ObjectLiteral',
    original: '{ authTagLength: TAG_BYTES, }',
    why:
      'open always hands setAuthTag exactly the last 16 bytes, so a decipher that would take a shorter ' +
      'tag never gets one (a truncated row is refused by its length first).',
  },
  {
    file: 'main/cache/rowCipher.ts',
    mutator: 'ConditionalExpression',
    original: 'this.#ivAt + IV_BYTES > this.#ivPool.length',
    replacement: 'true',
    why:
      'refilling the IV pool at every seal still draws every IV from the CSPRNG: slower, not weaker ' +
      '(IV uniqueness is tested in test/security/cacheCipher.test.ts across refills).',
  },
  {
    file: 'main/cache/rowCipher.ts',
    mutator: 'EqualityOperator',
    original: 'this.#ivAt + IV_BYTES > this.#ivPool.length',
    replacement: 'this.#ivAt + IV_BYTES >= this.#ivPool.length',
    why: 'refills one IV early: the last 12 bytes of each pool go unused; every IV is still fresh.',
  },
  {
    file: 'main/services/clipboardGuard.ts',
    mutator: 'StringLiteral',
    original: "'utf8'",
    replacement: '""',
    why: "Node reads the encoding '' as UTF-8: the digest is the same.",
  },
  {
    file: 'main/services/clipboardGuard.ts',
    mutator: 'ConditionalExpression',
    original: '!this.held',
    replacement: 'false',
    why:
      'in recheck, a shortcut (checkDeadline returns at once with nothing held); in checkDeadline, ' +
      'unreachable with nothing held: release cancels the timer that calls it, and recheck checks first.',
  },
  {
    file: 'main/services/clipboardGuard.ts',
    mutator: 'ConditionalExpression',
    original: '!held',
    replacement: 'false',
    why: 'arm is only called right after a secret is held (copySecret, checkDeadline’s else branch).',
  },
  {
    file: 'main/services/clipboardGuard.ts',
    mutator: 'ConditionalExpression',
    original: 'this.timer === null',
    replacement: 'false',
    why: 'clearTimeout(null) does nothing (Node’s timers, and the fake ones), and the field is null after either way.',
  },
  {
    file: 'server/http/authentication.ts',
    mutator: 'ConditionalExpression',
    original: '!request.actor',
    replacement: 'false',
    why:
      'a guard against a programming error (a public route reading the caller): every route that ' +
      'calls actorOf is authenticated first, so no request reaches it without an actor.',
  },
  {
    file: 'server/http/authentication.ts',
    mutator: 'StringLiteral',
    original: "'route is public but reads the actor'",
    why: 'the message of the programming-error guard above, which no request can reach.',
  },
  {
    file: 'server/http/authentication.ts',
    mutator: 'ConditionalExpression',
    original: 'slash < 0',
    replacement: 'false',
    why:
      'without a backslash, slice(0, -1) drops the last character: if that equals the domain, ' +
      'slice(slash + 1) = slice(0) is the whole name anyway; otherwise the name is returned as typed.',
  },
  {
    file: 'server/http/authentication.ts',
    mutator: 'EqualityOperator',
    original: 'slash < 0',
    replacement: 'slash <= 0',
    why: 'a leading backslash makes the domain part empty, never this server’s: the name is returned as typed either way.',
  },
  {
    file: 'server/http/authentication.ts',
    mutator: 'Regex',
    original: '/^(\\S+)\\s+(\\S+)\\s*$/',
    replacement: '/^(\\S+)\\s+(\\S+)\\S*$/',
    why:
      'HTTP strips the whitespace around a field value (RFC 9110 5.5; Node’s parser does), so the ' +
      'header never ends in a space: \\s*$ and \\S*$ both match the empty end.',
  },
  {
    file: 'server/http/authentication.ts',
    mutator: 'StringLiteral',
    original: "''",
    replacement: '"Stryker was here!"',
    why: 'without an Authorization header, any text that is not Basic or Negotiate ends in the same refusal.',
  },
  {
    file: 'server/http/authentication.ts',
    mutator: 'OptionalChaining',
    original: 'match?.[1]?.toLowerCase',
    replacement: 'match?.[1].toLowerCase',
    why: 'when the expression matched, its first group always did: match[1] is never undefined there.',
  },
  {
    file: 'main/cache/dataKey.ts',
    mutator: 'StringLiteral',
    original: "'key check'",
    why: 'the message of an error the next line catches and replaces: it goes nowhere.',
  },
  {
    file: 'main/cache/dataKey.ts',
    mutator: 'StringLiteral',
    original: "'os'",
    replacement: '""',
    why: "wrap() only tells 'memory' apart (nothing to wrap): any other protection wraps the same way.",
  },
  {
    file: 'main/ipc/router.ts',
    mutator: 'OptionalChaining',
    original: 'issue?.path',
    why: 'a failed parse always has a first issue: issue is never undefined there.',
  },
  {
    file: 'main/ipc/router.ts',
    mutator: 'OptionalChaining',
    original: 'issue?.message',
    why: 'as above: the first issue of a failed parse always exists.',
  },
  {
    file: 'main/ipc/router.ts',
    mutator: 'StringLiteral',
    original: "'invalid'",
    why: 'the fallback for an issue without a message, which zod never produces.',
  },
  {
    file: 'server/crypto/secretBox.ts',
    mutator: 'Regex',
    original: '/^[A-Za-z0-9_-]*$/',
    why:
      'decode() also requires the text to re-encode to itself, which no text with a foreign character ' +
      'does (Buffer drops those characters): the round trip refuses whatever the loosened pattern lets by.',
  },
  {
    file: 'server/crypto/secretBox.ts',
    mutator: 'ConditionalExpression',
    original: '!BASE64URL.test(text)',
    replacement: 'false',
    why: 'as above: the canonical round trip refuses every text the pattern would.',
  },
  {
    file: 'server/crypto/secretBox.ts',
    mutator: 'StringLiteral',
    original: "'utf8'",
    replacement: '""',
    why: "Node reads the encoding '' as UTF-8.",
  },
  {
    file: 'server/crypto/secretBox.ts',
    mutator: 'ObjectLiteral',
    original: '{ authTagLength: TAG_BYTES }',
    why:
      'GCM writes 16-byte tags by default, and open() refuses any tag that is not 16 bytes before ' +
      'deciphering, so a decipher that would accept shorter ones never sees one.',
  },
  {
    file: 'server/crypto/secretBox.ts',
    mutator: 'ArrayDeclaration',
    original: '[]',
    why: 'a value that is not a string gives one part either way: refused as of unknown format.',
  },
  {
    file: 'server/crypto/tokens.ts',
    mutator: 'StringLiteral',
    original: "'utf8'",
    replacement: '""',
    why: "Node reads the encoding '' as UTF-8: the token's hash is the same.",
  },
  ...[
    "typeof passwordHash !== 'string' || typeof password !== 'string' || passwordHash === ''",
    "typeof passwordHash !== 'string' || typeof password !== 'string'",
    "typeof passwordHash !== 'string'",
    "typeof password !== 'string'",
    "passwordHash === ''",
    "''",
  ].map((original) => ({
    file: 'server/crypto/userPasswords.ts',
    mutator:
      original === "''"
        ? 'StringLiteral'
        : original.includes('||')
          ? 'LogicalOperator'
          : 'ConditionalExpression',
    original,
    why:
      'a shortcut: argon2’s verify throws on a non-string or empty hash, and the try/catch around it ' +
      'answers false all the same.',
  })),
  ...[
    "typeof passwordHash !== 'string' || typeof password !== 'string' || passwordHash === ''",
    "typeof passwordHash !== 'string' || typeof password !== 'string'",
  ].map((original) => ({
    file: 'server/crypto/userPasswords.ts',
    mutator: 'ConditionalExpression',
    original,
    why: 'as above: the try/catch answers false for those inputs too.',
  })),
  {
    file: 'server/crypto/userPasswords.ts',
    mutator: 'ConditionalExpression',
    original: "typeof password === 'string'",
    why: 'verifyUserPassword answers false for a non-string password by itself.',
  },
  {
    file: 'server/crypto/passwordGenerator.ts',
    mutator: 'EqualityOperator',
    original: 'i > 0',
    replacement: 'i >= 0',
    why: 'the extra step swaps the first character with itself (randomInt(1) is 0).',
  },
  {
    file: 'server/crypto/passwordGenerator.ts',
    mutator: 'ArithmeticOperator',
    original: 'chars.length - 1',
    replacement: 'chars.length + 1',
    why:
      'the two extra steps swap characters with empty slots past the end, which join() drops: the ' +
      'same characters come out, in a random order (the generator’s tests check length, classes, positions).',
  },
  {
    file: 'server/domain/loginThrottle.ts',
    mutator: 'ConditionalExpression',
    original: 'entry',
    replacement: 'true',
    why: 'a missing entry put in the map as undefined reads back as undefined: the decision is the same.',
  },
  {
    file: 'server/domain/loginThrottle.ts',
    mutator: 'MethodExpression',
    original: "username.normalize('NFKC').toLowerCase()",
    why:
      'any one case folding gives every spelling of a name the same key; upper-casing merges at most a ' +
      'few more names (ß and ss), which counts attempts together, never apart.',
  },
];

const AUTH_SERVICE = 'test/security/authService.test.ts';
const ROUTER = 'test/main/ipc/router.test.ts';
const CRYPTO = 'test/server/crypto/cryptoMessages.test.ts';

export const TARGETED_MUTANTS: readonly TargetedMutant[] = [
  ...[
    ['ConditionalExpression', 'hit'],
    [
      'BlockStatement',
      '{ const user = await this.store.getUser(hit.userId); if (user && !user.disabled && ' +
        'user.passwordHash === hit.passwordHash) return actorFrom(user); }',
    ],
    ['ConditionalExpression', 'user && !user.disabled && user.passwordHash === hit.passwordHash'],
    ['CallExpression', 'this.basicCache.set(key, user.id, user.passwordHash, this.clock.now());'],
  ].map(([mutator, original]) => ({
    file: 'server/domain/authService.ts',
    mutator: mutator!,
    original: original!,
    test: `${AUTH_SERVICE} › Basic verifies a pair once a minute, not at each request`,
  })),
  {
    file: 'server/domain/authService.ts',
    mutator: 'OptionalChaining',
    original: 'this.streams?.closeToken',
    test: `${AUTH_SERVICE} › logout works without event streams to close`,
  },
  ...[
    'Math.round((performance.now() - started) * 10) / 10',
    '(performance.now() - started) * 10',
    'performance.now() - started',
  ].map((original) => ({
    file: 'main/ipc/router.ts',
    mutator: 'ArithmeticOperator',
    original,
    test: `${ROUTER} › logs the duration in milliseconds, to a tenth`,
  })),
  {
    file: 'main/ipc/router.ts',
    mutator: 'StringLiteral',
    original: "'.'",
    test: `${ROUTER} › invalid arguments: the channel, the path of the first problem and its message`,
  },
  {
    file: 'main/ipc/router.ts',
    mutator: 'LogicalOperator',
    original: "issue?.message ?? 'invalid'",
    test: `${ROUTER} › invalid arguments: the channel, the path of the first problem and its message`,
  },
  {
    file: 'main/ipc/router.ts',
    mutator: 'OptionalChaining',
    original: 'options.onInternalError?.(channel, error)',
    test: `${ROUTER} › without onInternalError, an unexpected error still answers as internal`,
  },
  ...[
    ["'Sealed value has an unknown format or version.'", 'StringLiteral'],
    ["'Sealed value is malformed.'", 'StringLiteral'],
    [
      "'Sealed value could not be opened: wrong key, wrong associated data, or tampered data.'",
      'StringLiteral',
    ],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the code a mutant changed, as text
    ['`SecretBox key must be exactly ${KEY_BYTES} bytes.`', 'StringLiteral'],
    ["typeof sealed === 'string'", 'ConditionalExpression'],
    [
      '!iv || !ciphertext || !tag || iv.length !== IV_BYTES || tag.length !== TAG_BYTES',
      'ConditionalExpression',
    ],
    ['!iv || !ciphertext', 'ConditionalExpression'],
    ['!iv || !ciphertext', 'LogicalOperator'],
    ['iv.length !== IV_BYTES', 'ConditionalExpression'],
    ['tag.length !== TAG_BYTES', 'ConditionalExpression'],
    ["{ throw new SecretBoxError('Sealed value is malformed.'); }", 'BlockStatement'],
  ].map(([original, mutator]) => ({
    file: 'server/crypto/secretBox.ts',
    mutator: mutator!,
    original: original!,
    test: `${CRYPTO} › SecretBox refusals`,
  })),
  ...[
    ['unique.length === 0', 'ConditionalExpression'],
    ["'At least one character class is required.'", 'StringLiteral'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the code a mutant changed, as text
    ['`Unknown character class: ${String(c)}.`', 'StringLiteral'],
    [
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the code a mutant changed, as text
      '`Password length must be an integer from ${unique.length} (one per class) to ${MAX_PASSWORD_LENGTH}.`',
      'StringLiteral',
    ],
  ].map(([original, mutator]) => ({
    file: 'server/crypto/passwordGenerator.ts',
    mutator: mutator!,
    original: original!,
    test: `${CRYPTO} › generatePassword refusals say what is wrong`,
  })),
];
