/**
 * completion <bash|zsh|fish|powershell>: a script generated from the commander command tree by
 * @bomb.sh/tab. The script calls back `coffre complete -- <words>` (hidden) for suggestions, so it
 * follows the commands and options of the installed version.
 */
import tab from '@bomb.sh/tab/commander';
import type { Command } from 'commander';
import type { Cli } from '../context.ts';

/** Call last, once every other command is declared: tab() reads the tree as it is then. */
export function registerCompletionCommand(program: Command, cli: Cli): void {
  const description = cli.t.help.commands.completion;
  const root = tab(program, { completionCommandName: 'completion' });
  const command = program.commands.find((candidate) => candidate.name() === 'completion');
  command?.description(description);
  // tab's own argument text is English: say it in the user's language.
  const shell = command?.registeredArguments.find((argument) => argument.name() === 'shell');
  if (shell) shell.description = cli.t.help.args.shell;
  const completion = root.commands.get('completion');
  if (completion) completion.description = description;
  // The program's options (--json, --server, …) are accepted after any command: offer them there too.
  for (const [name, command] of root.commands) {
    if (name === 'completion' || name === 'complete') continue;
    for (const [optionName, option] of root.options) {
      if (!command.options.has(optionName)) command.options.set(optionName, option);
    }
  }
}
