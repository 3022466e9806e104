/** watch: live events until Ctrl-C (SSE, or polling where the server has none). */
import type { Command } from 'commander';
import type { PamEvent, SubscriptionStatus } from '../../client/pamBackend.ts';
import type { Cli } from '../context.ts';
import { CliError } from '../errors.ts';
import { ExitCode } from '../exitCodes.ts';
import { clean, formatDate, statusName } from '../output.ts';

function describe(cli: Cli, event: PamEvent): string {
  const { t } = cli;
  const now = new Intl.DateTimeFormat(cli.lang === 'fr' ? 'fr-FR' : 'en-GB', { timeStyle: 'medium' }).format(
    new Date(),
  );
  const what = t.events[event.type] ?? event.type;
  if (event.type === 'credential.rotated') {
    return clean(
      `${now}  ${what}  ${event.data.credentialID}  ${formatDate(event.data.rotatedAt, cli.lang)}`,
    );
  }
  const checkout = event.data;
  const until = checkout.expiresAt ? `  → ${formatDate(checkout.expiresAt, cli.lang)}` : '';
  return clean(
    `${now}  ${what}  ${statusName(checkout.status, t)}  ${checkout.credentialName}  ${checkout.username}  ${checkout.id}${until}`,
  );
}

export function registerWatchCommand(program: Command, cli: Cli): void {
  const { t } = cli;
  program
    .command('watch')
    .description(t.help.commands.watch)
    .action(async () => {
      const { backend, config } = await cli.session();
      if (!cli.json) cli.notice(t.notices.watching(config.server));
      const { signal, release } = cli.interruptSignal();
      // The backend's timers do not keep a process alive; this does, until Ctrl-C.
      const keepAlive = setInterval(() => undefined, 60_000);
      let lastStatus: SubscriptionStatus | null = null;
      try {
        await new Promise<void>((resolve, reject) => {
          const unsubscribe = backend.subscribe(
            (event) => {
              if (cli.json) cli.deps.io.stdout.write(`${JSON.stringify(event)}\n`);
              else cli.print(describe(cli, event));
            },
            {
              onStatus: (status, detail) => {
                if (
                  status !== lastStatus &&
                  status !== 'connecting' &&
                  !(status === 'closed' && !detail?.error)
                ) {
                  cli.notice(t.notices.watchStatus(t.connection[status] ?? status));
                }
                lastStatus = status;
                if (status === 'closed' && detail?.error) {
                  unsubscribe();
                  reject(detail.error);
                }
              },
            },
          );
          signal.addEventListener(
            'abort',
            () => {
              unsubscribe();
              resolve();
            },
            { once: true },
          );
        });
      } finally {
        clearInterval(keepAlive);
        release();
      }
      throw new CliError('', ExitCode.interrupted);
    });
}
