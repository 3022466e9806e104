import { createHash, randomBytes, randomUUID } from 'node:crypto';

const TOKEN_BYTES = 32;

/** A fresh bearer token: 32 random bytes (256 bits) as base64url, 43 characters. */
export function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/**
 * The form in which a token is stored and looked up: SHA-256, hex.
 *
 * A fast unsalted hash is right here, unlike for user passwords: tokens carry 256 bits of
 * randomness, so there is nothing to brute-force or look up in a table, and a slow hash would
 * only make every authenticated request slower. Storing the hash means a leaked database does
 * not hand out live sessions.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A random (v4) UUID, lowercase. */
export function newGuid(): string {
  return randomUUID().toLowerCase();
}
