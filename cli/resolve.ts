/**
 * Naming things on the command line: a credential by its ID, its exact name or account
 * ("SYS@ora01"), or a unique prefix or part of its name; a checkout by its ID or by the credential
 * it is of (the caller's own open checkout). Ambiguity lists the candidates and exits 11.
 */
import type { Checkout, Credential, PamBackend } from '../client/pamBackend.ts';
import { type Cli, isGuid } from './context.ts';
import { CliError } from './errors.ts';
import { ExitCode } from './exitCodes.ts';
import { accountOf, table } from './output.ts';
import { Status } from './status.ts';

const PAGE = 500;
const SHOWN_CANDIDATES = 10;

async function searchCredentials(backend: PamBackend, search: string): Promise<Credential[]> {
  const page = await backend.listCredentials({ search, offset: 0, limit: PAGE });
  return page.data;
}

/** Exact name or account first, then names that start with the text, then names that contain it. */
export function pickCredential(candidates: readonly Credential[], ref: string): Credential[] {
  const wanted = ref.trim().toLowerCase();
  const tiers = [
    (c: Credential) => c.name.toLowerCase() === wanted || accountOf(c).toLowerCase() === wanted,
    (c: Credential) => c.name.toLowerCase().startsWith(wanted),
    (c: Credential) => c.name.toLowerCase().includes(wanted),
    (c: Credential) => accountOf(c).toLowerCase().includes(wanted),
  ];
  for (const tier of tiers) {
    const found = candidates.filter(tier);
    if (found.length > 0) return found;
  }
  return [];
}

function ambiguous(cli: Cli, ref: string, rows: string[][], headers: string[]): never {
  const shown = rows.slice(0, SHOWN_CANDIDATES);
  cli.notice(table(headers, shown, { maxWidth: cli.width }));
  if (rows.length > shown.length) cli.notice(cli.t.notices.moreMatches(rows.length - shown.length));
  throw new CliError(cli.t.errors.ambiguous(ref, rows.length), ExitCode.ambiguous);
}

/** The credential `ref` names; exit 5 when none does, 11 (with the candidates) when several do. */
export async function resolveCredential(cli: Cli, backend: PamBackend, ref: string): Promise<Credential> {
  const text = ref.trim();
  if (isGuid(text)) return backend.getCredential(text.toLowerCase());
  let candidates = await searchCredentials(backend, text);
  // "SYS@ora01": the server searches one field at a time, so look the user name up.
  if (candidates.length === 0 && text.includes('@')) {
    candidates = await searchCredentials(backend, text.slice(0, text.lastIndexOf('@')));
  }
  const found = pickCredential(candidates, text);
  if (found.length === 1) return found[0]!;
  if (found.length === 0) throw new CliError(cli.t.errors.noCredentialMatch(text), ExitCode.notFound);
  const l = cli.t.labels;
  return ambiguous(
    cli,
    text,
    found.map((c) => [c.name, accountOf(c), c.id]),
    [l.name, l.account, l.id],
  );
}

/** What a command wants of the caller's checkouts of a credential. */
export const OPEN: readonly number[] = [Status.Active, Status.Granted, Status.Pending];
export const HELD: readonly number[] = [Status.Active, Status.Granted];
export const WAITING: readonly number[] = [Status.Pending, Status.Granted];

/**
 * The checkout `ref` names: a checkout ID, or a credential (ID, name…) of which the caller has one
 * checkout in `statuses`. An ID that is neither of the caller's open checkouts nor of their
 * credentials is passed on as a checkout ID (the server knows about other users' checkouts).
 */
export async function resolveCheckoutId(
  cli: Cli,
  backend: PamBackend,
  ref: string,
  statuses: readonly number[] = OPEN,
): Promise<string> {
  const text = ref.trim();
  const mine = await backend.listMyCheckouts({ activeAndPending: true });
  const wanted = mine.filter((checkout) => statuses.includes(checkout.status));
  if (isGuid(text)) {
    const id = text.toLowerCase();
    if (mine.some((checkout) => checkout.id === id)) return id;
    const ofCredential = wanted.filter((checkout) => checkout.credentialID === id);
    if (ofCredential.length === 1) return ofCredential[0]!.id;
    if (ofCredential.length > 1) return ambiguousCheckouts(cli, text, ofCredential);
    return id;
  }
  const credential = await resolveCredential(cli, backend, text);
  const ofCredential = wanted.filter((checkout) => checkout.credentialID === credential.id);
  if (ofCredential.length === 1) return ofCredential[0]!.id;
  if (ofCredential.length > 1) return ambiguousCheckouts(cli, text, ofCredential);
  throw new CliError(cli.t.errors.noOpenCheckout(credential.name), ExitCode.notFound);
}

function ambiguousCheckouts(cli: Cli, ref: string, checkouts: readonly Checkout[]): never {
  const l = cli.t.labels;
  return ambiguous(
    cli,
    ref,
    checkouts.map((c) => [c.credentialName, cli.t.status[c.status] ?? String(c.status), c.id]),
    [l.credential, l.status, l.id],
  );
}

/**
 * A request waiting for the caller's decision: by its checkout ID, or by its credential or its
 * requester's user name when that names one request.
 */
export async function resolvePendingId(cli: Cli, backend: PamBackend, ref: string): Promise<string> {
  const text = ref.trim();
  const wanted = text.toLowerCase();
  const pending = await backend.listToApprove();
  let found: Checkout[];
  if (isGuid(text)) {
    if (pending.some((checkout) => checkout.id === wanted)) return wanted;
    found = pending.filter((checkout) => checkout.credentialID === wanted);
    // Not among them: the server says what became of that checkout.
    if (found.length === 0) return wanted;
  } else {
    const byUser = pending.filter((checkout) => checkout.username.toLowerCase() === wanted);
    const byName = pending.filter((checkout) => checkout.credentialName.toLowerCase() === wanted);
    const byPart = pending.filter((checkout) => checkout.credentialName.toLowerCase().includes(wanted));
    found = byUser.length > 0 ? byUser : byName.length > 0 ? byName : byPart;
  }
  if (found.length === 1) return found[0]!.id;
  if (found.length === 0) throw new CliError(cli.t.errors.noPendingMatch(text), ExitCode.notFound);
  const l = cli.t.labels;
  return ambiguous(
    cli,
    text,
    found.map((c) => [c.credentialName, c.username, c.id]),
    [l.credential, l.requester, l.id],
  );
}
