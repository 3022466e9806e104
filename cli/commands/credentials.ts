/** vaults, credentials, approvers (Get-DSPamAccount). */
import type { Command } from 'commander';
import type { Cli } from '../context.ts';
import { credentialTable, table } from '../output.ts';

const PAGE = 500;

interface CredentialsOptions {
  vault?: string;
  search?: string;
}

export function registerCredentialCommands(program: Command, cli: Cli): void {
  const { t } = cli;

  program
    .command('vaults')
    .description(t.help.commands.vaults)
    .action(async () => {
      const { backend } = await cli.session();
      const vaults = await backend.listVaults();
      if (cli.json) return cli.printJson(vaults);
      if (vaults.length === 0) return cli.print(t.notices.noVaults);
      cli.print(
        table(
          [t.labels.id, t.labels.name, t.labels.description],
          vaults.map((vault) => [vault.id, vault.name, vault.description]),
        ),
      );
    });

  program
    .command('credentials')
    .description(t.help.commands.credentials)
    .option('--vault <id>', t.help.opts.vault, cli.parseId)
    .option('--search <text>', t.help.opts.search)
    .action(async (options: CredentialsOptions) => {
      const { backend } = await cli.session();
      const filter = {
        ...(options.vault ? { vaultId: options.vault } : {}),
        ...(options.search ? { search: options.search } : {}),
      };
      // Every page, so that scripts get the whole list.
      const page = await backend.listCredentials({ ...filter, offset: 0, limit: PAGE });
      while (page.data.length < page.total) {
        const next = await backend.listCredentials({ ...filter, offset: page.data.length, limit: PAGE });
        if (next.data.length === 0) break;
        page.data.push(...next.data);
      }
      if (cli.json) return cli.printJson(page);
      if (page.data.length === 0) return cli.print(t.notices.noCredentials);
      const vaultNames = new Map<string, string>();
      try {
        for (const vault of await backend.listVaults()) vaultNames.set(vault.id, vault.name);
      } catch {
        // Vault names are a nicety (the MIM dialect has none): show short IDs instead.
      }
      cli.print(credentialTable(page.data, vaultNames, t, cli.lang));
    });

  program
    .command('approvers')
    .description(t.help.commands.approvers)
    .argument('<credentialId>', t.help.args.credentialId, cli.parseId)
    .action(async (credentialId: string) => {
      const { backend } = await cli.session();
      const approvers = await backend.listApprovers(credentialId);
      if (cli.json) return cli.printJson(approvers);
      if (approvers.length === 0) return cli.print(t.notices.noApprovers);
      cli.print(
        table(
          [t.labels.id, t.labels.username, t.labels.displayName],
          approvers.map((approver) => [approver.id, approver.username, approver.displayName]),
        ),
      );
    });
}
