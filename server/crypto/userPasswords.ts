import { type Algorithm, hash, verify } from '@node-rs/argon2';

// `Algorithm` is an ambient `const enum`: its members cannot be read under isolatedModules and the
// runtime object is empty, so the numeric value is spelled out here (Argon2id = 2 in index.d.ts).
const ARGON2ID = 2 satisfies Algorithm;

/** OWASP minimum for argon2id: 19 MiB, 2 passes, 1 lane. */
export const USER_PASSWORD_HASH_OPTIONS = {
  algorithm: ARGON2ID,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
} as const;

/**
 * An argon2id hash, with the same parameters as USER_PASSWORD_HASH_OPTIONS, of a random password
 * nobody knows. Verifying against it costs as much as verifying a real user's password.
 */
export const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$Ow87eLxNljbVoEjjHKUoyQ$ZS7KDJhMxFniOo1GoFR1i9KQ6x/7l1YFnf0ev6N/dBg';

/** A PHC-format argon2id hash (`$argon2id$v=19$m=19456,t=2,p=1$...`) with a random salt. */
export function hashUserPassword(password: string): Promise<string> {
  return hash(password, USER_PASSWORD_HASH_OPTIONS);
}

/** True only if `password` matches `passwordHash`; false for a wrong password or a malformed hash. Never throws. */
export async function verifyUserPassword(passwordHash: string, password: string): Promise<boolean> {
  if (typeof passwordHash !== 'string' || typeof password !== 'string' || passwordHash === '') return false;
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * Spends the time of a real verification and answers false. Call it when the user is unknown or
 * disabled, so response time does not reveal which usernames exist.
 */
export async function verifyAgainstNothing(password: string): Promise<false> {
  await verifyUserPassword(DUMMY_HASH, typeof password === 'string' ? password : '');
  return false;
}
