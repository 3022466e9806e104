/** login, logout, whoami. */
import type { Command } from 'commander';
import { isPamClientError } from '../../client/errors.ts';
import type { PamDialect } from '../../client/pamBackend.ts';
import { localizeServerError } from '../../common/serverErrorText.ts';
import type { Cli } from '../context.ts';
import { CliError } from '../errors.ts';
import { ExitCode } from '../exitCodes.ts';
import { details, formatDate } from '../output.ts';
import { PromptInterrupted, promptHidden, readAllStdin } from '../prompt.ts';
import type { SessionConfig } from '../sessionStore.ts';

interface LoginOptions {
  username: string;
  passwordStdin?: boolean;
}

async function readPassword(cli: Cli, options: LoginOptions, server: string): Promise<string> {
  const { stdin, stderr } = cli.deps.io;
  let password: string;
  if (options.passwordStdin) {
    password = await readAllStdin(stdin);
  } else {
    if (!stdin.isTTY || !stdin.setRawMode) throw new CliError(cli.t.errors.noTty, ExitCode.usage);
    try {
      password = await promptHidden(cli.t.notices.passwordPrompt(options.username, server), stdin, stderr);
    } catch (error) {
      if (error instanceof PromptInterrupted)
        throw new CliError(cli.t.errors.interrupted, ExitCode.interrupted);
      throw error;
    }
  }
  if (!password) throw new CliError(cli.t.errors.emptyPassword, ExitCode.usage);
  return password;
}

/** Logs the replaced session out on its server (best effort): a new login leaves no valid token behind. */
async function revokeQuietly(cli: Cli, config: SessionConfig, token: string): Promise<void> {
  try {
    const old = await cli.newBackend({
      server: config.server,
      dialect: config.dialect,
      ca: config.ca,
      token,
      timeoutMs: 5000,
    });
    await old.logout();
  } catch {
    // Expired, unreachable or gone: nothing more to do.
  }
}

export function registerSessionCommands(program: Command, cli: Cli): void {
  const { t } = cli;

  program
    .command('login')
    .description(t.help.commands.login)
    .requiredOption('-u, --username <name>', t.help.opts.username)
    .option('--password-stdin', t.help.opts.passwordStdin)
    .action(async (options: LoginOptions) => {
      const store = await cli.store();
      const server = cli.askedServer() ?? store.readConfig()?.server;
      if (!server) throw new CliError(t.errors.noServer, ExitCode.usage);
      const dialect: PamDialect = cli.globals.dialect ?? 'checkout';
      const ca = cli.globals.ca ?? null;
      const backend = await cli.newBackend({ server, dialect, ca });
      const password = await readPassword(cli, options, server);
      let result: Awaited<ReturnType<typeof backend.login>>;
      try {
        result = await backend.login(options.username, password);
      } catch (error) {
        if (isPamClientError(error) && (error.kind === 'unauthorized' || error.kind === 'throttled')) {
          throw new CliError(
            t.errors.loginFailed(localizeServerError(error.code, error.message, cli.lang)),
            ExitCode.auth,
            {
              cause: error,
            },
          );
        }
        throw error;
      }
      const token = backend.session().token;
      if (!token) throw new CliError(t.errors.loginFailed('no token'), ExitCode.server);
      const previous = await store.load().catch(() => null);
      const saved = await store.save(
        {
          server,
          dialect,
          username: result.user.username,
          user: result.user,
          expiresAt: result.expiresAt,
          ca,
        },
        token,
      );
      if (saved.keychainError) {
        cli.notice(t.noticeLine(t.notices.keychainUnavailable(saved.keychainError, store.tokenFile)));
      }
      if (previous?.token && previous.token !== token)
        await revokeQuietly(cli, previous.config, previous.token);
      if (cli.json) {
        cli.printJson({
          server,
          dialect,
          user: result.user,
          expiresAt: result.expiresAt,
          tokenStore: saved.tokenStore,
        });
        return;
      }
      cli.print(t.notices.loggedIn(result.user.displayName || result.user.username, server));
      cli.print(
        details(
          [
            [t.labels.sessionExpires, formatDate(result.expiresAt, cli.lang)],
            [
              t.labels.tokenStore,
              saved.tokenStore === 'keychain' ? t.values.keychain : t.values.file(store.tokenFile),
            ],
          ],
          t.colon,
        ),
      );
    });

  program
    .command('logout')
    .description(t.help.commands.logout)
    .action(async () => {
      const store = await cli.store();
      const loaded = await store.load();
      if (!loaded) {
        if (cli.json) cli.printJson({ loggedOut: false });
        else cli.print(t.notices.notLoggedIn);
        return;
      }
      const { config, token } = loaded;
      if (token) {
        const backend = await cli.newBackend({
          server: config.server,
          dialect: config.dialect,
          ca: cli.globals.ca ?? config.ca,
          token,
        });
        try {
          await backend.logout();
        } catch (error) {
          // An expired token is as good as revoked; anything else is worth a word.
          if (!(isPamClientError(error) && error.kind === 'unauthorized')) {
            cli.notice(
              t.noticeLine(
                t.notices.logoutServerFailed(error instanceof Error ? error.message : String(error)),
              ),
            );
          }
        }
      }
      await store.clear();
      if (cli.json) cli.printJson({ loggedOut: true, server: config.server });
      else cli.print(t.notices.loggedOut(config.server));
    });

  program
    .command('whoami')
    .description(t.help.commands.whoami)
    .action(async () => {
      const { backend, config, store } = await cli.session();
      const user = await backend.whoami();
      store.updateConfig({ user });
      if (cli.json) {
        cli.printJson({ server: config.server, dialect: backend.dialect, user, expiresAt: config.expiresAt });
        return;
      }
      cli.print(
        details(
          [
            [t.labels.user, user.username],
            [t.labels.displayName, user.displayName],
            [t.labels.id, user.id],
            [t.labels.roles, user.roles.join(', ')],
            [t.labels.server, config.server],
            [t.labels.dialect, backend.dialect],
            [t.labels.sessionExpires, formatDate(config.expiresAt, cli.lang)],
          ],
          t.colon,
        ),
      );
    });
}
