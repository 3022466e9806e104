/** The password prompt: raw mode, no echo, Backspace, Ctrl-C; and --password-stdin. */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Input } from '../../cli/context.ts';
import { PromptInterrupted, promptHidden, readAllStdin } from '../../cli/prompt.ts';

function fakeTerminal() {
  const input = new PassThrough() as PassThrough & Input;
  const rawModes: boolean[] = [];
  input.isTTY = true;
  input.setRawMode = (mode: boolean) => rawModes.push(mode);
  let written = '';
  const output = { write: (text: string) => (written += text), isTTY: true };
  return { input, output, rawModes, written: () => written };
}

describe('promptHidden', () => {
  it('reads a line in raw mode and echoes nothing of it', async () => {
    const term = fakeTerminal();
    const answer = promptHidden('Password: ', term.input, term.output);
    term.input.write('se');
    term.input.write('x\u007fcret\r');
    expect(await answer).toBe('secret');
    expect(term.written()).toBe('Password: \n');
    expect(term.rawModes).toEqual([true, false]);
  });

  it('Ctrl-C rejects and restores the terminal', async () => {
    const term = fakeTerminal();
    const answer = promptHidden('Password: ', term.input, term.output);
    term.input.write('abc\u0003');
    await expect(answer).rejects.toBeInstanceOf(PromptInterrupted);
    expect(term.rawModes).toEqual([true, false]);
  });
});

describe('readAllStdin', () => {
  it('takes everything but one trailing line break', async () => {
    const input = new PassThrough() as PassThrough & Input;
    input.end('pass word \n');
    expect(await readAllStdin(input)).toBe('pass word ');
  });
});
