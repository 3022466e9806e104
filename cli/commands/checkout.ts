/**
 * checkout (Invoke-DSPamCheckout), checkout get / checkouts (Get-DSPamCheckout), password
 * (Get-DSPamPassword), checkin (Invoke-DSPamCheckin), extend, cancel.
 */
import { type Command, Option } from 'commander';
import { isPamClientError } from '../../client/errors.ts';
import type { Checkout, Credential, PamBackend } from '../../client/pamBackend.ts';
import { localizeServerError } from '../../common/serverErrorText.ts';
import type { ClipboardPort } from '../clipboard.ts';
import { type Cli, isGuid } from '../context.ts';
import { copyPassword, DEFAULT_CLEAR_AFTER_S, requireClipboard } from '../deliver.ts';
import { CliError } from '../errors.ts';
import { ExitCode } from '../exitCodes.ts';
import { checkoutDetails, checkoutTable, formatDate, formatElapsed, statusName } from '../output.ts';
import { policyProblems } from '../policyCheck.ts';
import { HELD, resolveCheckoutId, resolveCredential, WAITING } from '../resolve.ts';
import { Status } from '../status.ts';
import { StatusLine } from '../statusLine.ts';
import { waitForDecision } from '../wait.ts';

interface DeliveryOptions {
  copy?: boolean;
  reveal?: boolean;
  clearAfter: number;
}

interface CheckoutOptions extends DeliveryOptions {
  reason?: string;
  approver?: string;
  duration?: number;
  wait?: boolean;
}

interface GetOptions extends DeliveryOptions {
  wait?: boolean;
}

interface Delivery {
  clipboard: ClipboardPort | null;
  reveal: boolean;
  clearAfter: number;
}

/** The clipboard when `--copy` is asked (checked before anything is requested), and how to show. */
function deliveryOf(cli: Cli, options: DeliveryOptions): Delivery {
  return {
    clipboard: options.copy ? requireClipboard(cli) : null,
    reveal: options.reveal === true,
    clearAfter: options.clearAfter,
  };
}

/**
 * Whether the password may be written on stdout: always for programs (piped, or -o json); on a
 * terminal only with --reveal, so that it does not stay in the scrollback.
 */
function mayPrintPassword(cli: Cli, delivery: Delivery): boolean {
  return delivery.reveal || !cli.stdoutIsTty || cli.json;
}

/** `--approver` takes an ID, or a user name looked up among the credential's approvers. */
async function resolveApprover(cli: Cli, backend: PamBackend, credentialId: string, approver: string) {
  if (isGuid(approver)) return approver.toLowerCase();
  const approvers = await backend.listApprovers(credentialId);
  const match = approvers.find((entry) => entry.username.toLowerCase() === approver.toLowerCase());
  if (!match) throw new CliError(cli.t.errors.approverUnknown(approver), ExitCode.policy);
  return match.id;
}

/** Prints the checkout and its password (where it may), or copies the password. */
async function deliver(cli: Cli, checkout: Checkout, password: string, delivery: Delivery): Promise<void> {
  const { t } = cli;
  const { clipboard } = delivery;
  if (cli.json) cli.printJson(clipboard ? { checkout } : { checkout, password });
  else {
    cli.print(t.notices.checkoutActive(checkout.credentialName, formatDate(checkout.expiresAt, cli.lang)));
    cli.print(checkoutDetails(checkout, t, cli.lang));
    if (!clipboard) {
      if (mayPrintPassword(cli, delivery)) cli.print(`${t.notices.passwordLabel}${t.colon} ${password}`);
      else cli.notice(t.notices.passwordHidden);
    }
  }
  if (clipboard) await copyPassword(cli, clipboard, password, delivery.clearAfter);
}

async function waitAndDeliver(
  cli: Cli,
  backend: PamBackend,
  pending: Checkout,
  delivery: Delivery,
): Promise<void> {
  const { t } = cli;
  const approver = pending.approverName ?? pending.approverID ?? t.values.someApprover;
  cli.notice(t.notices.waiting(pending.id, approver));
  const line = new StatusLine(cli.deps.io.stderr);
  const started = Date.now();
  let current = pending;
  let connection = 'connecting';
  const render = () => {
    if (line.isLive) {
      line.update(
        t.notices.waitingLine(
          statusName(current.status, t),
          formatElapsed(Date.now() - started),
          t.connection[connection] ?? connection,
        ),
      );
    }
  };
  const ticker = line.isLive ? setInterval(render, 1000) : null;
  render();
  const { signal, release } = cli.interruptSignal();
  let outcome: Awaited<ReturnType<typeof waitForDecision>>;
  try {
    outcome = await waitForDecision(backend, pending, {
      signal,
      onUpdate: (checkout) => {
        const changed = checkout.status !== current.status;
        current = checkout;
        if (line.isLive) render();
        else if (changed) line.update(t.notices.statusChanged(statusName(checkout.status, t)));
      },
      onConnection: (status) => {
        connection = status;
        render();
      },
    });
  } finally {
    if (ticker) clearInterval(ticker);
    line.clear();
    release();
  }
  const checkout = outcome.checkout;
  if (outcome.kind === 'interrupted') {
    cli.notice(t.notices.stillPending(checkout.id));
    throw new CliError('', ExitCode.interrupted);
  }
  if (checkout.status === Status.Active) {
    if (!cli.json) cli.notice(t.notices.approved(checkout.approverName ?? pending.approverName ?? ''));
    if (!backend.capabilities.passwordRead) {
      // A MIM server grants a role, it hands out no password: the checkout is the result.
      if (cli.json) return cli.printJson({ checkout });
      return cli.print(checkoutDetails(checkout, t, cli.lang));
    }
    const password = await backend.readPassword(checkout.credentialID);
    return deliver(cli, checkout, password, delivery);
  }
  if (cli.json) cli.printJson({ checkout });
  if (checkout.status === Status.Denied) {
    throw new CliError(
      t.errors.denied(checkout.approverName ?? approver, checkout.approverMessage),
      ExitCode.forbidden,
    );
  }
  throw new CliError(t.errors.endedWhileWaiting(statusName(checkout.status, t)), ExitCode.conflict);
}

/** A word the shell takes as is: quoted when it has anything but plain characters. */
function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Asks for a checkout, after checking the request against the policy (every problem at once). */
async function request(cli: Cli, backend: PamBackend, credential: Credential, options: CheckoutOptions) {
  const { t } = cli;
  let approverId = options.approver
    ? await resolveApprover(cli, backend, credential.id, options.approver)
    : undefined;
  const namesApprover = backend.dialect === 'checkout';
  if (namesApprover && approverId === undefined && credential.policy.approvalMode === 'mandatory') {
    // One possible approver: no need to name them.
    const approvers = await backend.listApprovers(credential.id).catch(() => []);
    if (approvers.length === 1) approverId = approvers[0]!.id;
  }
  const problems = policyProblems(
    credential,
    { ...options, ...(approverId ? { approverId } : {}), namesApprover },
    t,
  );
  if (problems.length > 0) {
    const hint = problems.includes(t.errors.problems.approver)
      ? ` ${t.errors.approverHint(shellQuote(credential.name))}`
      : '';
    throw new CliError(
      `${t.errors.kind.policy(`${problems.join(t.errors.problems.separator)}.`)}${hint}`,
      ExitCode.policy,
    );
  }
  try {
    return await backend.requestCheckout({
      credentialId: credential.id,
      ...(options.reason !== undefined ? { reason: options.reason } : {}),
      ...(approverId !== undefined ? { approverId } : {}),
      ...(options.duration !== undefined ? { duration: options.duration } : {}),
    });
  } catch (error) {
    if (
      isPamClientError(error) &&
      (error.code === 'approver_required' || error.code === 'approver_not_eligible')
    ) {
      throw new CliError(
        `${t.errors.kind.policy(localizeServerError(error.code, error.message, cli.lang))} ${t.errors.approverHint(shellQuote(credential.name))}`,
        ExitCode.policy,
        { cause: error },
      );
    }
    throw error;
  }
}

export function registerCheckoutCommands(program: Command, cli: Cli): void {
  const { t } = cli;
  const deliveryOptions = (command: Command) =>
    command
      .option('--reveal', t.help.opts.reveal)
      .option('--copy', t.help.opts.copy)
      .option('--clear-after <seconds>', t.help.opts.clearAfter, cli.parseWholeNumber, DEFAULT_CLEAR_AFTER_S)
      .addHelpText('after', `\n${t.help.passwordNote}`);

  const checkout = program
    .command('checkout')
    .description(t.help.commands.checkout)
    .argument(`<${t.help.argNames.credential}>`, t.help.args.credential)
    .option('--reason <text>', t.help.opts.reason)
    .option('--approver <user>', t.help.opts.approver)
    .option('--duration <duration>', t.help.opts.duration, cli.parseDuration)
    .option('--wait', t.help.opts.wait);
  deliveryOptions(checkout).action(async (credentialRef: string, options: CheckoutOptions) => {
    const delivery = deliveryOf(cli, options);
    const { backend } = await cli.session();
    if (delivery.clipboard && !backend.capabilities.passwordRead)
      throw new CliError(t.errors.noPasswords, ExitCode.usage);
    const credential = await resolveCredential(cli, backend, credentialRef);
    const result = await request(cli, backend, credential, options);
    if (result.password !== undefined) return deliver(cli, result.checkout, result.password, delivery);
    const pending = result.checkout;
    if (pending.status === Status.Active) {
      // Active without a password in the answer (e.g. the MIM dialect): read it.
      if (backend.capabilities.passwordRead) {
        const password = await backend.readPassword(pending.credentialID);
        return deliver(cli, pending, password, delivery);
      }
    } else if (options.wait) {
      return waitAndDeliver(cli, backend, pending, delivery);
    }
    if (cli.json) return cli.printJson({ checkout: pending });
    if (pending.status === Status.Pending) {
      cli.print(
        t.notices.checkoutPending(
          pending.credentialName,
          pending.approverName ?? pending.approverID ?? t.values.someApprover,
        ),
      );
    }
    cli.print(checkoutDetails(pending, t, cli.lang));
    if (pending.status === Status.Pending) cli.notice(t.notices.checkoutPendingHint(pending.id));
  });

  const get = checkout
    .command('get')
    .description(t.help.commands.checkoutGet)
    .argument(`<${t.help.argNames.checkout}>`, t.help.args.checkout)
    .option('--wait', t.help.opts.waitGet);
  deliveryOptions(get).action(async (checkoutRef: string, own: GetOptions) => {
    // Commander hands the options `get` shares with `checkout` (--wait, --reveal…) to `checkout`
    // when they follow the ID: take them from there; refuse those only `checkout` has.
    const inherited = checkout.opts<CheckoutOptions>();
    const misplaced = (['reason', 'approver', 'duration'] as const).find(
      (name) => inherited[name] !== undefined,
    );
    if (misplaced) throw new CliError(t.errors.usage.unknownOption(`--${misplaced}`), ExitCode.usage);
    const options: GetOptions = { ...own };
    for (const name of ['wait', 'reveal', 'copy', 'clearAfter'] as const) {
      if (checkout.getOptionValueSource(name) === 'cli' && get.getOptionValueSource(name) !== 'cli') {
        Object.assign(options, { [name]: inherited[name] });
      }
    }
    const delivery = deliveryOf(cli, options);
    const { backend } = await cli.session();
    const found = await backend.getCheckout(await resolveCheckoutId(cli, backend, checkoutRef));
    if (options.wait && found.status === Status.Pending) return waitAndDeliver(cli, backend, found, delivery);
    if (cli.json) return cli.printJson(found);
    cli.print(checkoutDetails(found, t, cli.lang));
  });

  program
    .command('checkouts')
    .description(t.help.commands.checkouts)
    .option('--active-and-pending', t.help.opts.activeAndPending)
    .action(async (options: { activeAndPending?: boolean }) => {
      const { backend } = await cli.session();
      const list = await backend.listMyCheckouts(options.activeAndPending ? { activeAndPending: true } : {});
      if (cli.json) return cli.printJson(list);
      if (list.length === 0) return cli.print(t.notices.noCheckouts);
      cli.print(checkoutTable(list, cli.view()));
    });

  const password = program
    .command('password')
    .description(t.help.commands.password)
    .argument(`<${t.help.argNames.credential}>`, t.help.args.credential);
  deliveryOptions(password).action(async (credentialRef: string, options: DeliveryOptions) => {
    const delivery = deliveryOf(cli, options);
    const { backend } = await cli.session();
    const credentialId = isGuid(credentialRef.trim())
      ? credentialRef.trim().toLowerCase()
      : (await resolveCredential(cli, backend, credentialRef)).id;
    const secret = await backend.readPassword(credentialId);
    if (delivery.clipboard) {
      if (cli.json) cli.printJson({ credentialID: credentialId, copied: true });
      return copyPassword(cli, delivery.clipboard, secret, delivery.clearAfter);
    }
    if (cli.json) return cli.printJson({ credentialID: credentialId, password: secret });
    if (!mayPrintPassword(cli, delivery)) return cli.notice(t.notices.passwordHidden);
    cli.print(secret);
  });

  program
    .command('checkin')
    .description(t.help.commands.checkin)
    .argument(`<${t.help.argNames.checkout}>`, t.help.args.checkout)
    .action(async (ref: string) => {
      const { backend } = await cli.session();
      const ended = await backend.checkIn(await resolveCheckoutId(cli, backend, ref, HELD));
      if (cli.json) return cli.printJson(ended);
      cli.print(t.notices.checkedIn(ended.credentialName));
    });

  program
    .command('extend')
    .description(t.help.commands.extend)
    .argument(`<${t.help.argNames.checkout}>`, t.help.args.checkout)
    .option('--by <duration>', t.help.opts.extendBy, cli.parseDuration)
    .addOption(new Option('--minutes <n>', t.help.opts.minutes).argParser(cli.parsePositiveInt).hideHelp())
    .action(async (ref: string, options: { by?: number; minutes?: number }) => {
      const minutes = options.by ?? options.minutes;
      if (minutes === undefined) throw new CliError(t.errors.extendHowLong, ExitCode.usage);
      const { backend } = await cli.session();
      const extended = await backend.extend(await resolveCheckoutId(cli, backend, ref, HELD), minutes);
      if (cli.json) return cli.printJson(extended);
      cli.print(t.notices.extended(extended.credentialName, formatDate(extended.expiresAt, cli.lang)));
    });

  program
    .command('cancel')
    .description(t.help.commands.cancel)
    .argument(`<${t.help.argNames.checkout}>`, t.help.args.checkout)
    .action(async (ref: string) => {
      const { backend } = await cli.session();
      const canceled = await backend.cancel(await resolveCheckoutId(cli, backend, ref, WAITING));
      if (cli.json) return cli.printJson(canceled);
      cli.print(t.notices.canceled(canceled.credentialName));
    });
}
