/** login, logout, whoami, switch, accounts: several accounts at once, one of them current. */
import { type Command, Option } from 'commander';
import { isPamClientError } from '../../client/errors.ts';
import type { PamDialect, SignInMethod } from '../../client/pamBackend.ts';
import { packSessionSecret } from '../../client/sessionSecret.ts';
import { localizeServerError } from '../../common/serverErrorText.ts';
import type { Cli } from '../context.ts';
import { CliError } from '../errors.ts';
import { ExitCode } from '../exitCodes.ts';
import { details, formatDate } from '../output.ts';
import { PromptInterrupted, promptHidden, readAllStdin } from '../prompt.ts';
import type { SessionConfig } from '../sessionStore.ts';

interface LoginOptions {
  username?: string;
  passwordStdin?: boolean;
  signIn?: 'token' | 'basic' | 'windows';
  /** The user name is an application key, the password its secret (New-DSSession -AsApplication). */
  application?: boolean;
}

async function readPassword(cli: Cli, options: LoginOptions, server: string): Promise<string> {
  const { stdin, stderr } = cli.deps.io;
  let password: string;
  if (options.passwordStdin) {
    password = await readAllStdin(stdin);
  } else {
    if (!stdin.isTTY || !stdin.setRawMode) throw new CliError(cli.t.errors.noTty, ExitCode.usage);
    try {
      password = await promptHidden(
        cli.t.notices.passwordPrompt(options.username ?? '', server),
        stdin,
        stderr,
      );
    } catch (error) {
      if (error instanceof PromptInterrupted)
        throw new CliError(cli.t.errors.interrupted, ExitCode.interrupted);
      throw error;
    }
  }
  if (!password) throw new CliError(cli.t.errors.emptyPassword, ExitCode.usage);
  return password;
}

/**
 * Logs a replaced session of the same account out on its server (best effort): logging in again
 * leaves no valid token behind. Other accounts are left alone.
 */
async function revokeQuietly(
  cli: Cli,
  config: Omit<SessionConfig, 'tokenStore'>,
  token: string,
): Promise<void> {
  try {
    const old = await cli.newBackend({
      server: config.server,
      dialect: config.dialect,
      ca: config.ca,
      token,
      timeoutMs: 5000,
      ...(config.signIn ? { signIn: config.signIn } : {}),
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
    .option('-u, --username <name>', t.help.opts.username)
    .option('--password-stdin', t.help.opts.passwordStdin)
    .addOption(new Option('--sign-in <method>', t.help.opts.signIn).choices(['token', 'basic', 'windows']))
    .option('--application', t.help.opts.application)
    .action(async (options: LoginOptions) => {
      const store = await cli.store();
      const server = cli.askedServer() ?? store.readConfig()?.server;
      if (!server) throw new CliError(t.errors.noServer, ExitCode.usage);
      const dialect: PamDialect = cli.globals.dialect ?? 'checkout';
      const signIn: SignInMethod = options.signIn === 'windows' ? 'integrated' : (options.signIn ?? 'token');
      if (signIn !== 'token' && dialect !== 'mim')
        throw new CliError(t.errors.signInNeedsMim, ExitCode.usage);
      if (signIn !== 'integrated' && !options.username)
        throw new CliError(t.errors.usernameRequired, ExitCode.usage);
      const ca = cli.globals.ca ?? null;
      const backend = await cli.newBackend({ server, dialect, ca, signIn });
      const password = signIn === 'integrated' ? '' : await readPassword(cli, options, server);
      let result: Awaited<ReturnType<typeof backend.login>>;
      try {
        if (options.application && !backend.loginWithApplicationKey) {
          throw new CliError(t.errors.applicationKeyUnsupported, ExitCode.usage);
        }
        result = options.application
          ? await backend.loginWithApplicationKey!(options.username ?? '', password)
          : await backend.login(options.username ?? '', password);
      } catch (error) {
        if (isPamClientError(error) && Object.hasOwn(t.errors.dvlsSignIn, error.code)) {
          // DVLS's refusal in the user's language, the server's own words after it (they may say
          // how long a lock lasts), except for a wrong password, where they add nothing.
          const local = t.errors.dvlsSignIn[error.code] ?? error.message;
          const reason = error.code === 'dvls_wrong_password' ? local : `${local} (${error.message})`;
          throw new CliError(t.errors.loginFailed(reason), ExitCode.auth, { cause: error });
        }
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
      const token = packSessionSecret(backend.session());
      if (!token) throw new CliError(t.errors.loginFailed('no token'), ExitCode.server);
      const session = {
        server,
        dialect,
        username: result.user.username,
        user: result.user,
        expiresAt: result.expiresAt,
        ca,
        ...(signIn !== 'token' ? { signIn } : {}),
      };
      const saved = await store.save(session, token);
      if (saved.replacedToken) await revokeQuietly(cli, session, saved.replacedToken);
      const others = store.list().accounts.length - 1;
      if (cli.json) {
        cli.printJson({
          account: saved.account,
          server,
          dialect,
          user: result.user,
          expiresAt: result.expiresAt,
          tokenStore: saved.tokenStore,
        });
        if (saved.keychainError) {
          cli.notice(t.noticeLine(t.notices.keychainUnavailable(saved.keychainError, store.tokenFile)));
        }
        return;
      }
      cli.print(t.notices.loggedIn(result.user.displayName || result.user.username, server));
      cli.print(
        details(
          [
            [t.labels.account, saved.account],
            [t.labels.sessionExpires, formatDate(result.expiresAt, cli.lang)],
            [
              t.labels.tokenStore,
              saved.tokenStore === 'keychain' ? t.values.keychain : t.values.file(store.tokenFile),
            ],
          ],
          t.colon,
        ),
      );
      // Said once: the first time the keychain fails; the token's place is in the block above.
      if (saved.keychainError) {
        cli.notice(t.noticeLine(t.notices.keychainUnavailable(saved.keychainError, store.tokenFile)));
      }
      if (others > 0) cli.notice(t.noticeLine(t.notices.otherAccounts(others)));
    });

  program
    .command('logout')
    .description(t.help.commands.logout)
    .action(async () => {
      const store = await cli.store();
      if (store.list().accounts.length === 0) {
        if (cli.json) cli.printJson({ loggedOut: false });
        else cli.print(t.notices.notLoggedIn);
        return;
      }
      const account = cli.pickAccount(store);
      const loaded = await store.load(account);
      if (!loaded) throw new CliError(t.errors.notLoggedIn, ExitCode.auth);
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
      await store.remove(account);
      if (cli.json) cli.printJson({ loggedOut: true, account, server: config.server });
      else cli.print(t.notices.loggedOutAccount(account));
    });

  program
    .command('switch')
    .description(t.help.commands.switch)
    .argument('<account>', t.help.args.account)
    .action(async (name: string) => {
      const store = await cli.store();
      const account = cli.accountNamed(store, name.trim());
      store.setCurrent(account);
      if (cli.json) cli.printJson({ current: account });
      else cli.print(t.notices.switched(account));
    });

  program
    .command('accounts')
    .description(t.help.commands.accounts)
    .action(async () => {
      const store = await cli.store();
      const { current, accounts } = store.list();
      if (cli.json) {
        cli.printJson(
          accounts.map(({ account, config }) => ({
            account,
            current: account === current,
            server: config.server,
            dialect: config.dialect,
            username: config.username,
            expiresAt: config.expiresAt,
            tokenStore: config.tokenStore,
          })),
        );
        return;
      }
      if (accounts.length === 0) {
        cli.print(t.notices.noAccounts);
        return;
      }
      for (const { account } of accounts) cli.print(`${account === current ? '*' : ' '} ${account}`);
    });

  program
    .command('whoami')
    .description(t.help.commands.whoami)
    .action(async () => {
      const { backend, account, config, store } = await cli.session();
      const user = await backend.whoami();
      store.updateConfig(account, { user });
      if (cli.json) {
        cli.printJson({
          account,
          server: config.server,
          dialect: backend.dialect,
          user,
          expiresAt: config.expiresAt,
        });
        return;
      }
      cli.print(
        details(
          [
            [t.labels.account, account],
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
