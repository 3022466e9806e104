/** pending, approve, deny (Invoke-DSPamCheckoutPending and the approver's side). */
import type { Command } from 'commander';
import { checkoutIdFor } from '../checkoutRef.ts';
import type { Cli } from '../context.ts';
import { checkoutTable } from '../output.ts';

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
        const checkoutId = checkoutIdFor(request, await backend.listToApprove(), {
          none: t.errors.noPendingRequest,
          several: t.errors.severalPendingRequests,
        });
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
