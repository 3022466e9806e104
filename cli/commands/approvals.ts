/** pending, approve, deny (Invoke-DSPamCheckoutPending and the approver's side). */
import type { Command } from 'commander';
import type { PamBackend } from '../../client/pamBackend.ts';
import { type Cli, isGuid } from '../context.ts';
import { CliError } from '../errors.ts';
import { ExitCode } from '../exitCodes.ts';
import { checkoutTable } from '../output.ts';

/**
 * The checkout ID a decision is about: given as such, or found among the requests waiting for
 * this approver by its credential's ID or name (when exactly one matches).
 */
async function pendingRequestId(cli: Cli, backend: PamBackend, what: string): Promise<string> {
  const wanted = what.trim().toLowerCase();
  const pending = await backend.listToApprove();
  if (pending.some((checkout) => checkout.id.toLowerCase() === wanted)) return wanted;
  const matches = pending.filter(
    (checkout) =>
      checkout.credentialID.toLowerCase() === wanted || checkout.credentialName.toLowerCase() === wanted,
  );
  if (matches.length === 1) return matches[0]!.id;
  if (matches.length > 1) {
    throw new CliError(
      cli.t.errors.severalPendingRequests(what, matches.map((checkout) => checkout.id).join(', ')),
      ExitCode.usage,
    );
  }
  // A checkout ID not (or no longer) waiting: the server says what became of it.
  if (isGuid(wanted)) return wanted;
  throw new CliError(cli.t.errors.noPendingRequest(what), ExitCode.notFound);
}

export function registerApprovalCommands(program: Command, cli: Cli): void {
  const { t } = cli;

  program
    .command('pending')
    .description(t.help.commands.pending)
    .action(async () => {
      const { backend } = await cli.session();
      const list = await backend.listToApprove();
      if (cli.json) return cli.printJson(list);
      if (list.length === 0) return cli.print(t.notices.noPending);
      cli.print(checkoutTable(list, t, cli.lang));
    });

  for (const decision of ['approve', 'deny'] as const) {
    program
      .command(decision)
      .description(t.help.commands[decision])
      .argument('<request>', t.help.args.request)
      .option('--message <text>', t.help.opts.message)
      .action(async (request: string, options: { message?: string }) => {
        const { backend } = await cli.session();
        const checkoutId = await pendingRequestId(cli, backend, request);
        const decided =
          decision === 'approve'
            ? await backend.approve(checkoutId, options.message)
            : await backend.deny(checkoutId, options.message);
        if (cli.json) return cli.printJson(decided);
        const say = decision === 'approve' ? t.notices.approvedDone : t.notices.deniedDone;
        cli.print(say(decided.credentialName, decided.username));
      });
  }
}
