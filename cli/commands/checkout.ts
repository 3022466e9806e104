/**
 * checkout (Invoke-DSPamCheckout), checkout get / checkouts (Get-DSPamCheckout), password
 * (Get-DSPamPassword), checkin (Invoke-DSPamCheckin), extend, cancel.
 */
import type { Command } from 'commander';
import { isPamClientError } from '../../client/errors.ts';
import type { Checkout, PamBackend } from '../../client/pamBackend.ts';
import { checkoutIdFor } from '../checkoutRef.ts';
import type { ClipboardPort } from '../clipboard.ts';
import { type Cli, isGuid } from '../context.ts';
import { copyPassword, DEFAULT_CLEAR_AFTER_S, requireClipboard } from '../deliver.ts';
import { CliError } from '../errors.ts';
import { ExitCode } from '../exitCodes.ts';
import { checkoutDetails, checkoutTable, formatDate, formatElapsed, statusName } from '../output.ts';
import { Status } from '../status.ts';
import { StatusLine } from '../statusLine.ts';
import { waitForDecision } from '../wait.ts';

interface CheckoutOptions {
  reason?: string;
  approver?: string;
  duration?: number;
  wait?: boolean;
  copy?: boolean;
  clearAfter: number;
}

interface PasswordOptions {
  copy?: boolean;
  clearAfter: number;
}

/** `--approver` takes an ID, or a user name looked up among the credential's approvers. */
/** The checkout a checkin/extend/cancel argument means, among the caller's open ones (see checkoutRef.ts). */
async function myCheckoutId(cli: Cli, backend: PamBackend, what: string): Promise<string> {
  return checkoutIdFor(what, await backend.listMyCheckouts({ activeAndPending: true }), {
    none: cli.t.errors.noOpenCheckout,
    several: cli.t.errors.severalOpenCheckouts,
  });
}

async function resolveApprover(cli: Cli, backend: PamBackend, credentialId: string, approver: string) {
  if (isGuid(approver)) return approver.toLowerCase();
  const approvers = await backend.listApprovers(credentialId);
  const match = approvers.find((entry) => entry.username.toLowerCase() === approver.toLowerCase());
  if (!match) throw new CliError(cli.t.errors.approverUnknown(approver), ExitCode.policy);
  return match.id;
}

/** Prints the checkout and its password, or copies the password. */
async function deliver(
  cli: Cli,
  checkout: Checkout,
  password: string,
  clipboard: ClipboardPort | null,
  clearAfter: number,
): Promise<void> {
  const { t } = cli;
  if (cli.json) cli.printJson(clipboard ? { checkout } : { checkout, password });
  else {
    cli.print(t.notices.checkoutActive(checkout.credentialName, formatDate(checkout.expiresAt, cli.lang)));
    cli.print(checkoutDetails(checkout, t, cli.lang));
    if (!clipboard) cli.print(`${t.notices.passwordLabel}: ${password}`);
  }
  if (clipboard) await copyPassword(cli, clipboard, password, clearAfter);
}

async function waitAndDeliver(
  cli: Cli,
  backend: PamBackend,
  pending: Checkout,
  clipboard: ClipboardPort | null,
  clearAfter: number,
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
    return deliver(cli, checkout, password, clipboard, clearAfter);
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

export function registerCheckoutCommands(program: Command, cli: Cli): void {
  const { t } = cli;
  const clearAfterOption = (command: Command) =>
    command.option(
      '--clear-after <seconds>',
      t.help.opts.clearAfter,
      cli.parseWholeNumber,
      DEFAULT_CLEAR_AFTER_S,
    );

  const checkout = program
    .command('checkout')
    .description(t.help.commands.checkout)
    .argument('<credentialId>', t.help.args.credentialId, cli.parseId)
    .option('--reason <text>', t.help.opts.reason)
    .option('--approver <user>', t.help.opts.approver)
    .option('--duration <minutes>', t.help.opts.duration, cli.parsePositiveInt)
    .option('--wait', t.help.opts.wait)
    .option('--copy', t.help.opts.copy);
  clearAfterOption(checkout).action(async (credentialId: string, options: CheckoutOptions) => {
    const clipboard = options.copy ? requireClipboard(cli) : null;
    const { backend } = await cli.session();
    if (clipboard && !backend.capabilities.passwordRead)
      throw new CliError(t.errors.noPasswords, ExitCode.usage);
    const approverId = options.approver
      ? await resolveApprover(cli, backend, credentialId, options.approver)
      : undefined;
    let result: Awaited<ReturnType<PamBackend['requestCheckout']>>;
    try {
      result = await backend.requestCheckout({
        credentialId,
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
          `${t.errors.kind.policy(error.message)} ${t.errors.approverHint(credentialId)}`,
          ExitCode.policy,
          {
            cause: error,
          },
        );
      }
      throw error;
    }
    if (result.password !== undefined) {
      return deliver(cli, result.checkout, result.password, clipboard, options.clearAfter);
    }
    const pending = result.checkout;
    if (pending.status === Status.Active) {
      // Active without a password in the answer (e.g. the MIM dialect): read it.
      if (backend.capabilities.passwordRead) {
        const password = await backend.readPassword(pending.credentialID);
        return deliver(cli, pending, password, clipboard, options.clearAfter);
      }
    } else if (options.wait) {
      return waitAndDeliver(cli, backend, pending, clipboard, options.clearAfter);
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

  checkout
    .command('get')
    .description(t.help.commands.checkoutGet)
    .argument('<checkoutId>', t.help.args.checkoutId, cli.parseId)
    .action(async (checkoutId: string) => {
      const { backend } = await cli.session();
      const found = await backend.getCheckout(checkoutId);
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
      cli.print(checkoutTable(list, t, cli.lang));
    });

  const password = program
    .command('password')
    .description(t.help.commands.password)
    .argument('<credentialId>', t.help.args.credentialId, cli.parseId)
    .option('--copy', t.help.opts.copy);
  clearAfterOption(password).action(async (credentialId: string, options: PasswordOptions) => {
    const clipboard = options.copy ? requireClipboard(cli) : null;
    const { backend } = await cli.session();
    const secret = await backend.readPassword(credentialId);
    if (clipboard) {
      if (cli.json) cli.printJson({ credentialID: credentialId, copied: true });
      return copyPassword(cli, clipboard, secret, options.clearAfter);
    }
    if (cli.json) return cli.printJson({ credentialID: credentialId, password: secret });
    cli.print(secret);
  });

  program
    .command('checkin')
    .description(t.help.commands.checkin)
    .argument('<checkout>', t.help.args.myCheckout)
    .action(async (checkout: string) => {
      const { backend } = await cli.session();
      const ended = await backend.checkIn(await myCheckoutId(cli, backend, checkout));
      if (cli.json) return cli.printJson(ended);
      cli.print(t.notices.checkedIn(ended.credentialName));
    });

  program
    .command('extend')
    .description(t.help.commands.extend)
    .argument('<checkout>', t.help.args.myCheckout)
    .requiredOption('--minutes <n>', t.help.opts.minutes, cli.parsePositiveInt)
    .action(async (checkout: string, options: { minutes: number }) => {
      const { backend } = await cli.session();
      const extended = await backend.extend(await myCheckoutId(cli, backend, checkout), options.minutes);
      if (cli.json) return cli.printJson(extended);
      cli.print(t.notices.extended(extended.credentialName, formatDate(extended.expiresAt, cli.lang)));
    });

  program
    .command('cancel')
    .description(t.help.commands.cancel)
    .argument('<checkout>', t.help.args.myCheckout)
    .action(async (checkout: string) => {
      const { backend } = await cli.session();
      const canceled = await backend.cancel(await myCheckoutId(cli, backend, checkout));
      if (cli.json) return cli.printJson(canceled);
      cli.print(t.notices.canceled(canceled.credentialName));
    });
}
