/**
 * What a client persists of a session as one secret: the token, and the session key of Devolutions
 * Server's handshake when there is one (passwords come encrypted under it, so a resumed session
 * needs it). Kept where the token is kept (keychain, 0600 file, the desktop's encrypted cache).
 */
import type { PamSession } from './pamBackend.ts';

const SESSION_KEY_MARK = ' sessionKey=';

export function packSessionSecret(session: Pick<PamSession, 'token' | 'sessionKey'>): string | null {
  if (!session.token) return null;
  return session.sessionKey ? `${session.token}${SESSION_KEY_MARK}${session.sessionKey}` : session.token;
}

/** The token and session key of a persisted secret; a bare token (saved before) has no key. */
export function unpackSessionSecret(secret: string): { token: string; sessionKey?: string } {
  const at = secret.indexOf(SESSION_KEY_MARK);
  if (at < 0) return { token: secret };
  return { token: secret.slice(0, at), sessionKey: secret.slice(at + SESSION_KEY_MARK.length) };
}
