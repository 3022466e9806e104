/**
 * The `coffre` CLI: wiring. Commands live in cli/commands/, one file per group; they talk to the
 * server only through the client core's PamBackend (client/pamBackend.ts).
 */
import fs from 'node:fs';
import { Command, CommanderError, Help, type HelpConfiguration, Option } from 'commander';
import { systemClipboard } from './clipboard.ts';
import { registerApprovalCommands } from './commands/approvals.ts';
import { registerCheckoutCommands } from './commands/checkout.ts';
import { registerCompletionCommand } from './commands/completion.ts';
import { registerCredentialCommands } from './commands/credentials.ts';
import { registerSessionCommands } from './commands/session.ts';
import { registerWatchCommand } from './commands/watch.ts';
import { Cli, type CliDeps, OUTPUT_FORMATS } from './context.ts';
import { describeError } from './errors.ts';
import { ExitCode } from './exitCodes.ts';
import { detectLang, MESSAGES, type Messages } from './messages.ts';
import { systemKeychain } from './sessionStore.ts';

function version(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export function buildProgram(cli: Cli): Command {
  const { t } = cli;
  const { stdout, stderr } = cli.deps.io;
  const program = new Command('coffre');
  program
    .description(t.help.description)
    // Before any subcommand is added, so that they inherit it.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => void stdout.write(text),
      writeErr: (text) => void stderr.write(text),
      // Usage errors are reported by run(), on one translated line.
      outputError: () => undefined,
    })
    .configureHelp(localizedHelp(t))
    .helpOption('-h, --help', t.help.options.help)
    .helpCommand('help [command]', t.help.helpCommand)
    .version(version(), '-V, --version', t.help.options.version)
    .option('-s, --server <url>', t.help.options.server)
    .addOption(new Option('--dialect <dialect>', t.help.options.dialect).choices(['checkout', 'mim']))
    .option('--ca <file>', t.help.options.ca)
    .option('--json', t.help.options.json)
    .addOption(new Option('-o, --output <format>', t.help.options.output).choices(OUTPUT_FORMATS))
    .option('--wide', t.help.options.wide)
    .addOption(new Option('--lang <lang>', t.help.options.lang).choices(['en', 'fr']))
    .option('--debug', t.help.options.debug)
    .option('--profile <account>', t.help.options.profile)
    .addHelpText('after', `\n${t.help.exitCodes}`)
    .hook('preAction', () => {
      cli.globals = program.opts();
    });

  registerSessionCommands(program, cli);
  registerCredentialCommands(program, cli);
  registerCheckoutCommands(program, cli);
  registerApprovalCommands(program, cli);
  registerWatchCommand(program, cli);
  registerCompletionCommand(program, cli);
  tagUsageErrors(program, 'coffre');
  return program;
}

/**
 * Help in the user's language, commander's own words included ("[command]", "(choices: …)"), and
 * only the program's options as global options (not those of `checkout` under `checkout get`).
 */
function localizedHelp(t: Messages): HelpConfiguration {
  const words = t.help.words;
  const translate = (text: string) =>
    text
      .replace(/\(choices: /g, `(${words.choices}${t.colon} `)
      .replace(/(\(|, )default: /g, `$1${words.default}${t.colon} `)
      .replace(/\[command\]/g, `[${words.command}]`)
      .replace(/\[options\]/g, `[${words.options}]`);
  const base = new Help();
  return {
    showGlobalOptions: true,
    styleTitle: (title) => t.help.titles[title] ?? title,
    visibleGlobalOptions(cmd: Command) {
      let root = cmd;
      while (root.parent) root = root.parent;
      return root === cmd ? [] : root.options.filter((option) => !option.hidden);
    },
    optionDescription: (option) => translate(base.optionDescription(option)),
    argumentDescription: (argument) => translate(base.argumentDescription(argument)),
    styleUsage: (text) => translate(text),
    styleSubcommandTerm: (text) => translate(text),
    // "--reason <text>": the placeholder in the user's language (the option keeps its name).
    styleOptionTerm: (text) =>
      text.replace(/<(\w+)>/g, (_all, name: string) => `<${words.values[name] ?? name}>`),
  };
}

/** A usage error that knows which command it is about, for the "(see coffre checkout --help)" hint. */
export class UsageError extends CommanderError {
  readonly commandPath: string;
  constructor(error: CommanderError, commandPath: string) {
    super(error.exitCode, error.code, error.message);
    this.commandPath = commandPath;
  }
}

function tagUsageErrors(command: Command, path: string): void {
  command.exitOverride((error) => {
    throw new UsageError(error, path);
  });
  for (const sub of command.commands) tagUsageErrors(sub, `${path} ${sub.name()}`);
}

/** Runs one command line (argv as process.argv: node, script, args…) and returns the exit code. */
export async function run(cli: Cli, argv: readonly string[]): Promise<number> {
  const program = buildProgram(cli);
  try {
    await program.parseAsync([...argv]);
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.ok;
      // Help shown because a command needs a subcommand: the help itself was the message.
      if (error.code === 'commander.help') return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
      if (error.code === 'commander.executeSubCommandAsync') return error.exitCode;
    }
    const { message, exitCode } = describeError(
      error,
      cli.t,
      error instanceof UsageError ? error.commandPath : 'coffre',
    );
    if (message) cli.deps.io.stderr.write(`${cli.t.errorLine(message.replace(/\s*[\r\n]+\s*/g, ' '))}\n`);
    if ((cli.globals.debug || argv.includes('--debug')) && error instanceof Error && error.stack) {
      cli.deps.io.stderr.write(`${error.stack}\n`);
    }
    return exitCode;
  }
}

export function systemDeps(): CliDeps {
  return {
    io: { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env },
    createBackend: async (options) =>
      (await import('../client/createPamBackend.ts')).createPamBackend(options),
    keychain: systemKeychain,
    clipboard: (env) => systemClipboard(env),
  };
}

function flush(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.writableLength === 0) return resolve();
    stream.write('', () => resolve());
  });
}

/** The process entry point (bin/coffre.js). */
export async function main(argv: readonly string[] = process.argv): Promise<never> {
  const deps = systemDeps();
  const lang = detectLang(argv.slice(2), deps.io.env);
  const cli = new Cli(deps, MESSAGES[lang], lang);
  let interrupts = 0;
  process.on('SIGINT', () => {
    interrupts += 1;
    // A command that waits handles the first Ctrl-C itself (and then exits 130); otherwise, or at
    // the second one, stop now.
    if (interrupts === 1 && cli.interrupt()) return;
    process.stderr.write(`\n${cli.t.errorLine(cli.t.errors.interrupted)}\n`);
    process.exit(ExitCode.interrupted);
  });
  const code = await run(cli, argv);
  await Promise.all([flush(process.stdout), flush(process.stderr)]);
  // Keep-alive sockets of the HTTP client must not hold the process once the command is done.
  process.exit(code);
}
