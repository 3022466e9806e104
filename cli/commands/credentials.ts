/** vaults, credentials, approvers (Get-DSPamAccount). */
import type { Command } from 'commander';
import type { PamBackend } from '../../client/pamBackend.ts';
import { type Cli, isGuid } from '../context.ts';
import { CliError } from '../errors.ts';
import { ExitCode } from '../exitCodes.ts';
import { credentialTable, table } from '../output.ts';
import { resolveCredential } from '../resolve.ts';

const PAGE = 500;

interface CredentialsOptions {
  vault?: string;
  search?: string;
}

/** A vault by its ID or its name (case aside). */
async function vaultIdOf(cli: Cli, backend: PamBackend, ref: string): Promise<string> {
  if (isGuid(ref.trim())) return ref.trim().toLowerCase();
  const wanted = ref.trim().toLowerCase();
  const found = (await backend.listVaults()).filter((vault) => vault.name.toLowerCase() === wanted);
  if (found.length !== 1) throw new CliError(cli.t.errors.noVaultMatch(ref), ExitCode.notFound);
  return found[0]!.id;
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
      const view = cli.view();
      const headers = [t.labels.name, t.labels.description, ...(view.wide ? [t.labels.id] : [])];
      const rows = vaults.map((vault) => [vault.name, vault.description, ...(view.wide ? [vault.id] : [])]);
      cli.print(table(headers, rows, { maxWidth: view.width }));
    });

  program
    .command('credentials')
    .description(t.help.commands.credentials)
    .option('--vault <vault>', t.help.opts.vault)
    .option('--search <text>', t.help.opts.search)
    .action(async (options: CredentialsOptions) => {
      const { backend, config } = await cli.session();
      const vaultId = options.vault ? await vaultIdOf(cli, backend, options.vault) : undefined;
      const filter = {
        ...(vaultId ? { vaultId } : {}),
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
      cli.print(credentialTable(page.data, vaultNames, config.user?.username ?? config.username, cli.view()));
    });

  program
    .command('approvers')
    .description(t.help.commands.approvers)
    .argument(`<${t.help.argNames.credential}>`, t.help.args.credential)
    .action(async (credentialRef: string) => {
      const { backend } = await cli.session();
      const credential = await resolveCredential(cli, backend, credentialRef);
      const approvers = await backend.listApprovers(credential.id);
      if (cli.json) return cli.printJson(approvers);
      if (approvers.length === 0) return cli.print(t.notices.noApprovers);
      const wide = cli.globals.wide === true;
      cli.print(
        table(
          [t.labels.username, t.labels.displayName, ...(wide ? [t.labels.id] : [])],
          approvers.map((a) => [a.username, a.displayName, ...(wide ? [a.id] : [])]),
          { maxWidth: cli.width },
        ),
      );
    });
}
