// A fake TTY for the live view: it records every write and keeps the screen
// those writes leave, interpreting the few escape sequences a redraw in place
// uses (cursor up/down/left, erase line, erase to end). Colour codes are kept
// out of the screen text but counted, so a test can ask whether any were sent.

/* eslint-disable no-control-regex -- terminal escape sequences are what these tests read */
const csi = /^\x1b\[([?0-9;]*)([A-Za-z])/;

export class FakeTerminal {
  readonly isTTY = true;
  readonly columns: number;
  readonly rows = 500;
  /** Every chunk written, as written. */
  readonly writes: string[] = [];
  private lines: string[] = [''];
  private row = 0;
  private col = 0;

  constructor(columns = 120) {
    this.columns = columns;
  }

  write(text: string): boolean {
    this.writes.push(text);
    this.feed(text);
    return true;
  }

  /** Text written by something else to the same stream (phx's own stderr lines). */
  feed(text: string): void {
    let i = 0;
    while (i < text.length) {
      const ch = text[i]!;
      if (ch === '\x1b') {
        const m = csi.exec(text.slice(i));
        if (!m) throw new Error(`unexpected escape at ${JSON.stringify(text.slice(i, i + 8))}`);
        this.control(m[1]!, m[2]!);
        i += m[0].length;
        continue;
      }
      if (ch === '\n') {
        this.row++;
        this.col = 0;
        while (this.lines.length <= this.row) this.lines.push('');
      } else {
        const line = this.lines[this.row]!.padEnd(this.col);
        this.lines[this.row] = line.slice(0, this.col) + ch + line.slice(this.col + 1);
        this.col++;
      }
      i++;
    }
  }

  private control(params: string, op: string): void {
    const n = params === '' ? 1 : Number(params);
    switch (op) {
      case 'A':
        this.row = Math.max(0, this.row - n);
        return;
      case 'B':
        this.row += n;
        while (this.lines.length <= this.row) this.lines.push('');
        return;
      case 'G':
        this.col = params === '' ? 0 : n - 1;
        return;
      case 'K':
        if (params === '2') this.lines[this.row] = '';
        else if (params === '') this.lines[this.row] = this.lines[this.row]!.slice(0, this.col);
        else throw new Error(`erase ${params} not emulated`);
        return;
      case 'm': // colour: no effect on the text
      case 'h': // synchronized output, cursor shown
      case 'l': // … and hidden
        return;
      default:
        throw new Error(`escape ${params}${op} not emulated`);
    }
  }

  /** The screen as text, trailing blank lines dropped. */
  screen(): string {
    const out = this.lines.map((l) => l.trimEnd());
    while (out.length > 0 && out[out.length - 1] === '') out.pop();
    return out.join('\n');
  }

  /** Colour (SGR) sequences sent, across all writes. */
  colourCodes(): number {
    return this.writes.join('').match(/\x1b\[[0-9;]*m/g)?.length ?? 0;
  }
}
