// Colours for the terminal views: on a TTY only, and off under `--no-color`
// or NO_COLOR (https://no-color.org: any non-empty value). Off means no
// escape byte at all in what the plain view writes.

export interface Palette {
  readonly green: (s: string) => string;
  readonly red: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly bold: (s: string) => string;
}

const sgr =
  (on: number, off: number) =>
  (s: string): string =>
    `\x1b[${on}m${s}\x1b[${off}m`;

const coloured: Palette = {
  green: sgr(32, 39),
  red: sgr(31, 39),
  yellow: sgr(33, 39),
  dim: sgr(2, 22),
  bold: sgr(1, 22),
};

const same = (s: string): string => s;
const plain: Palette = { green: same, red: same, yellow: same, dim: same, bold: same };

export function palette(enabled: boolean): Palette {
  return enabled ? coloured : plain;
}

/**
 * Whether to colour what goes to `stream`: the global `--color` (false under
 * `--no-color`; the command line folds NO_COLOR into it too), NO_COLOR once
 * more for callers that build their own options, and a terminal at the end.
 */
export function wantColour(
  color: boolean,
  env: NodeJS.ProcessEnv,
  stream: { readonly isTTY?: boolean } | undefined,
): boolean {
  return color && !env.NO_COLOR && stream?.isTTY === true;
}
