/**
 * Windows sign-in for the MIM dialect, the way a browser does it in front of IIS: Chromium's own
 * network stack answers `WWW-Authenticate: Negotiate` (Kerberos, or NTLM on Windows) with the
 * credentials of the user's OS session. Chromium does so only for servers on its allow-list, so
 * each MIM server's host is allowed on a session of its own (in memory: nothing is persisted), and
 * the client core gets that session's `fetch` as its fetch port.
 */
import { session } from 'electron';
import type { FetchLike } from '../../client/pamBackend.ts';

export function integratedFetchFor(serverUrl: string): FetchLike {
  const host = new URL(serverUrl).hostname;
  const ses = session.fromPartition(`coffre-integrated-${host}`);
  ses.allowNTLMCredentialsForDomains(host);
  return (input, init) => ses.fetch(String(input), init);
}
