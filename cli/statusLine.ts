/** A status line: rewritten in place on a terminal, plain lines (only when it changes) otherwise. */
import type { Terminal } from './context.ts';
import { clean, displayWidth } from './output.ts';

export class StatusLine {
  private readonly stream: Terminal;
  private readonly live: boolean;
  private last = '';
  private shown = false;

  constructor(stream: Terminal) {
    this.stream = stream;
    this.live = stream.isTTY === true;
  }

  get isLive(): boolean {
    return this.live;
  }

  update(text: string): void {
    const line = clean(text);
    if (!this.live) {
      if (line !== this.last) this.stream.write(`${line}\n`);
      this.last = line;
      return;
    }
    const width = Math.max(10, (this.stream.columns || 80) - 1);
    let shown = line;
    while (displayWidth(shown) > width) shown = shown.slice(0, -1);
    this.stream.write(`\r\x1b[2K${shown}`);
    this.last = line;
    this.shown = true;
  }

  /** Erases the live line (a plain stream keeps its lines). */
  clear(): void {
    if (this.live && this.shown) this.stream.write('\r\x1b[2K');
    this.shown = false;
  }
}
