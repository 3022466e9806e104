/** Reading a password: from standard input (`--password-stdin`), or typed on a terminal without echo. */
import type { Input, Terminal } from './context.ts';

export class PromptInterrupted extends Error {
  override readonly name = 'PromptInterrupted';
}

/** All of standard input, less one trailing line break. */
export async function readAllStdin(stdin: Input): Promise<string> {
  let text = '';
  stdin.setEncoding('utf8');
  for await (const chunk of stdin) text += chunk as string;
  return text.replace(/\r?\n$/, '');
}

/**
 * Asks on `output` and reads one line from a terminal in raw mode, echoing nothing. Ctrl-C
 * rejects with PromptInterrupted; Ctrl-D on an empty line ends it; Backspace works.
 */
export function promptHidden(question: string, input: Input, output: Terminal): Promise<string> {
  return new Promise((resolve, reject) => {
    let value = '';
    output.write(question);
    input.setRawMode?.(true);
    input.setEncoding('utf8');
    input.resume();
    const finish = (error: Error | null) => {
      input.removeListener('data', onData);
      input.setRawMode?.(false);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    function onData(chunk: string) {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish(null);
        if (char === '\u0003') return finish(new PromptInterrupted('interrupted'));
        if (char === '\u0004') {
          if (value === '') return finish(null);
          continue;
        }
        if (char === '\u007f' || char === '\b') {
          value = Array.from(value).slice(0, -1).join('');
          continue;
        }
        if (char === '\u0015') {
          value = ''; // Ctrl-U
          continue;
        }
        if (char >= ' ') value += char;
      }
    }
    input.on('data', onData);
  });
}
