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
];
