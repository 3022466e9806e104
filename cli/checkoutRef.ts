/**
 * Which checkout a command argument means: its checkout ID, or the ID or name of its credential
 * when exactly one of the candidates (the caller's open checkouts, or the requests waiting for
 * the caller's decision) is on that credential. So `coffre checkin <credential>` and
 * `coffre approve <credential>` work without looking the checkout ID up first.
 */
import type { Checkout } from '../client/pamBackend.ts';
import { isGuid } from './context.ts';
import { CliError } from './errors.ts';
import { ExitCode } from './exitCodes.ts';

export interface CheckoutRefMessages {
  none: (what: string) => string;
  several: (what: string, ids: string) => string;
}

export function checkoutIdFor(what: string, candidates: Checkout[], say: CheckoutRefMessages): string {
  const wanted = what.trim().toLowerCase();
  if (candidates.some((checkout) => checkout.id.toLowerCase() === wanted)) return wanted;
  const matches = candidates.filter(
    (checkout) =>
      checkout.credentialID.toLowerCase() === wanted || checkout.credentialName.toLowerCase() === wanted,
  );
  if (matches.length === 1) return matches[0]!.id;
  if (matches.length > 1) {
    throw new CliError(say.several(what, matches.map((checkout) => checkout.id).join(', ')), ExitCode.usage);
  }
  // A checkout ID that is not (or no longer) among them: the server says what became of it.
  if (isGuid(wanted)) return wanted;
  throw new CliError(say.none(what), ExitCode.notFound);
}
