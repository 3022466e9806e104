/**
 * The threat model of docs/security.md: per attacker position, what they can and cannot do, each
 * line pointing at the test that shows it (file, and a piece of the test's name). The report
 * gives each line its test's verdict, so a claim without a passing test shows as a failure.
 */
import type { ThreatLine } from './securityReportMarkdown.ts';

const USER = 'An attacker with a user account (or a stolen password)';
const TOKEN = 'An attacker with a stolen token';
const NETWORK = 'An attacker with network position (any client, forged headers, many addresses)';
const DISK = 'An attacker with the desktop’s disk (a copied profile, a stolen laptop, no keyring)';

export const THREAT_MODEL: ThreatLine[] = [
  // A user account
  {
    attacker: USER,
    can: false,
    claim: 'read a password without an Active checkout of it',
    file: 'test/authz/authorizationMatrix.test.ts',
    test: 'nobody reads a password without holding the checkout',
  },
  {
    attacker: USER,
    can: false,
    claim:
      'become a second holder of an exclusive credential by asking for the same future start as someone else',
    file: 'test/security/scheduledExclusivity.test.ts',
    test: 'the approver cannot approve the second',
  },
  {
    attacker: USER,
    can: false,
    claim: 'reserve a credential for years with a far-away scheduled start',
    file: 'test/security/scheduledExclusivity.test.ts',
    test: 'a start in year 9999 is refused',
  },
  {
    attacker: USER,
    can: false,
    claim: 'block others with a scheduled checkout before its own window starts',
    file: 'test/security/scheduledExclusivity.test.ts',
    test: 'a waiting scheduled checkout does not hold the credential before its window',
  },
  {
    attacker: USER,
    can: false,
    claim: 'extend an Active checkout into someone’s approved window',
    file: 'test/security/scheduledExclusivity.test.ts',
    test: 'an extension that would run into an approved scheduled window is refused',
  },
  {
    attacker: USER,
    can: false,
    claim: 'satisfy a mandatory reason with invisible characters',
    file: 'test/security/httpHardening.test.ts',
    test: 'a mandatory reason of',
  },
  {
    attacker: USER,
    can: false,
    claim: 'approve their own MIM request',
    file: 'test/security/accessRules.test.ts',
    test: 'a MIM requester cannot approve or reject their own request',
  },
  {
    attacker: USER,
    can: false,
    claim: 'keep seeing the approval queue (and its reasons) after losing the approver role',
    file: 'test/security/sessions.test.ts',
    test: 'a former approver sees nothing',
  },
  {
    attacker: USER,
    can: false,
    claim: 'check out with an approver-only account',
    file: 'test/authz/authorizationMatrix.test.ts',
    test: 'an approver-only account cannot check out through either dialect',
  },
  {
    attacker: USER,
    can: false,
    claim:
      'see, request, or learn the existence of a vault or credential of another team (404 in both dialects, as an unknown id)',
    file: 'test/security/vaultPermissions.test.ts',
    test: 'outside one’s vaults every way to a credential answers 404',
  },
  {
    attacker: USER,
    can: false,
    claim: 'check out, or read the password of, a credential in a vault where their role is view',
    file: 'test/security/vaultPermissions.test.ts',
    test: 'view does not request',
  },
  {
    attacker: USER,
    can: false,
    claim: 'approve in a vault where they do not hold approve, even when a credential’s policy names them',
    file: 'test/security/vaultPermissions.test.ts',
    test: 'an approver named by the policy but without approve in the vault is not eligible',
  },
  {
    attacker: USER,
    can: false,
    claim: 'administer a vault (its settings, members, credentials, passwords) without manage in it',
    file: 'test/authz/authorizationMatrix.test.ts',
    test: 'vault role: approve',
  },
  {
    attacker: USER,
    can: false,
    claim: 'keep a vault’s credentials in their synced list after losing the vault',
    file: 'test/security/vaultPermissions.test.ts',
    test: 'whoever lost the vault finds its credentials deleted on the next sync',
  },
  {
    attacker: USER,
    can: true,
    claim:
      'see the names and hosts of every credential in the vaults they may view (by design: view is a catalogue), and the ids (only) of credentials that left their vaults, in the sync feed',
    file: 'test/security/vaultPermissions.test.ts',
    test: 'each member sees their role',
  },
  // A stolen token
  {
    attacker: TOKEN,
    can: true,
    claim: 'act as the user until the token expires, is logged out, or an admin changes the user',
    file: 'test/server/authorization.test.ts',
    test: 'a token expires after its lifetime by the server clock',
  },
  {
    attacker: TOKEN,
    can: false,
    claim: 'keep using it after an admin resets the user’s password',
    file: 'test/security/sessions.test.ts',
    test: "setting a user's password revokes the user's tokens",
  },
  {
    attacker: TOKEN,
    can: false,
    claim: 'keep the rights of a role an admin removed',
    file: 'test/security/sessions.test.ts',
    test: 'removing a role revokes the tokens',
  },
  {
    attacker: TOKEN,
    can: false,
    claim: 'keep an event stream open after logout, disable or password change',
    file: 'test/security/sessions.test.ts',
    test: "ends the user's streams",
  },
  {
    attacker: TOKEN,
    can: false,
    claim: 'receive events on a stream after the token expired',
    file: 'test/security/sessions.test.ts',
    test: 'a stream whose token has expired delivers nothing more and ends',
  },
  {
    attacker: TOKEN,
    can: false,
    claim: 'open streams without bound on one session',
    file: 'test/security/sessions.test.ts',
    test: 'at most 4 streams per session',
  },
  // Network position
  {
    attacker: NETWORK,
    can: false,
    claim: 'guess passwords in parallel past the throttle (attempts count before the hash is checked)',
    file: 'test/security/loginThrottle.test.ts',
    test: '40 simultaneous wrong passwords for one user',
  },
  {
    attacker: NETWORK,
    can: false,
    claim: 'dodge the throttle with another spelling of the username',
    file: 'test/security/loginThrottle.test.ts',
    test: 'another spelling of the username',
  },
  {
    attacker: NETWORK,
    can: false,
    claim: 'spray one password over many usernames from one address',
    file: 'test/security/loginThrottle.test.ts',
    test: '30 failures from one address with different usernames',
  },
  {
    attacker: NETWORK,
    can: false,
    claim: 'lock the victim out by failing from other addresses',
    file: 'test/security/loginThrottle.test.ts',
    test: 'past the per-user ceiling, the right password still signs in',
  },
  {
    attacker: NETWORK,
    can: true,
    claim:
      'make one guess per fresh address per 15 minutes once the per-user ceiling is reached (a botnet is slowed, not stopped)',
    file: 'test/security/loginThrottle.test.ts',
    test: 'past the per-user ceiling, the right password still signs in',
  },
  {
    attacker: NETWORK,
    can: false,
    claim: 'choose the address the throttle counts (X-Forwarded-For is ignored without --trust-proxy)',
    file: 'test/security/loginThrottle.test.ts',
    test: 'X-Forwarded-For is ignored',
  },
  {
    attacker: NETWORK,
    can: false,
    claim: 'get a forged Host reflected in odata.metadata or Location',
    file: 'test/security/httpHardening.test.ts',
    test: 'does not carry the forged Host',
  },
  {
    attacker: NETWORK,
    can: false,
    claim: 'frame the API or have answers sniffed as another type',
    file: 'test/security/httpHardening.test.ts',
    test: 'an authenticated JSON answer',
  },
  {
    attacker: NETWORK,
    can: false,
    claim: 'use a look-alike Authorization scheme (XBearer) or trailing text',
    file: 'test/security/survivors.test.ts',
    test: 'another scheme ending in Bearer',
  },
  {
    attacker: NETWORK,
    can: false,
    claim: 'get a 5xx, a stack trace or a secret from malformed input',
    file: 'test/server/secrets.test.ts',
    test: 'error bodies carry neither stack traces nor secrets',
  },
  // The desktop's disk
  {
    attacker: DISK,
    can: false,
    claim: 'read credential names, hosts, tokens or settings from the cache files',
    file: 'test/main/cache/encryptionAtRest.test.ts',
    test: 'holds no credential name, username, host, token or setting in clear',
  },
  {
    attacker: DISK,
    can: false,
    claim: 'unwrap the cache’s data key without the OS keyring',
    file: 'test/main/cache/encryptionAtRest.test.ts',
    test: 'stores the data key only wrapped by the keyring',
  },
  {
    attacker: DISK,
    can: false,
    claim: 'move a ciphertext to another row undetected',
    file: 'test/main/cache/encryptionAtRest.test.ts',
    test: 'binds each value to its row',
  },
  {
    attacker: DISK,
    can: false,
    claim: 'learn anything from two rows sealed with the same text (fresh AES-GCM IV per seal)',
    file: 'test/security/cacheCipher.test.ts',
    test: 'sealing the same text 2 000 times',
  },
  {
    attacker: DISK,
    can: false,
    claim: 'find a password from a revealed or copied checkout in logs or files',
    file: 'test/e2e/secretHygiene.e2e.test.ts',
    test: 'no secret anywhere',
  },
];
