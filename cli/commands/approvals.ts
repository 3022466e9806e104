/** pending, approve, deny (Invoke-DSPamCheckoutPending and the approver's side). */
import type { Command } from 'commander';
import type { Cli } from '../context.ts';
import { pendingTable } from '../output.ts';
import { resolvePendingId } from '../resolve.ts';

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
      cli.print(pendingTable(list, cli.view()));
    });

  for (const decision of ['approve', 'deny'] as const) {
    program
      .command(decision)
      .description(t.help.commands[decision])
      .argument(`<${t.help.argNames.request}>`, t.help.args.request)
      .option('--message <text>', t.help.opts.message)
      .action(async (ref: string, options: { message?: string }) => {
        const { backend } = await cli.session();
        const checkoutId = await resolvePendingId(cli, backend, ref);
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
