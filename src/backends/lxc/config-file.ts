// The container's LXC config file, split into what phx owns and what it does
// not. phx's settings live in one block between marker comments that is
// replaced whole on every apply, so a setting removed from the entry
// disappears instead of lingering (DESIGN §2: reconcile, never append).
//
// LXC itself rewrites two kinds of line on clone and restore: it moves
// `lxc.uts.name` out of place (setting it to the new container's name) and
// rewrites `lxc.net.N.hwaddr`. Those keys are phx's too, so copies of them
// outside the block are dropped when the block is written.

export const BLOCK_BEGIN =
  '# >>> phx managed settings (replaced whole by phx; edit the entry instead)';
export const BLOCK_END = '# <<< phx managed settings';

/** Keys phx owns even when LXC has moved a copy outside the block. */
function ownedOutsideBlock(key: string): boolean {
  return key === 'lxc.uts.name' || key.startsWith('lxc.net.');
}

export interface ConfigLine {
  readonly key: string;
  readonly value: string;
}

/** `lxc.key = value` → {key, value}; comments and blanks → undefined. */
export function parseLine(line: string): ConfigLine | undefined {
  const m = /^\s*(lxc\.[A-Za-z0-9_.-]+)\s*=\s*(.*?)\s*$/.exec(line);
  return m ? { key: m[1] ?? '', value: m[2] ?? '' } : undefined;
}

export function printLine(l: ConfigLine): string {
  return `${l.key} = ${l.value}`;
}

interface Split {
  readonly outside: readonly string[];
  readonly block: readonly string[];
}

function split(text: string): Split {
  const outside: string[] = [];
  const block: string[] = [];
  let inBlock = false;
  for (const line of text.split('\n')) {
    if (line === BLOCK_BEGIN) inBlock = true;
    else if (line === BLOCK_END) inBlock = false;
    else (inBlock ? block : outside).push(line);
  }
  return { outside, block };
}

/** The config with its block replaced by `lines` (already validated, one per line). */
export function withManagedBlock(text: string, lines: readonly ConfigLine[]): string {
  const kept = split(text).outside.filter((line) => {
    const parsed = parseLine(line);
    return parsed === undefined || !ownedOutsideBlock(parsed.key);
  });
  while (kept.length > 0 && kept[kept.length - 1]?.trim() === '') kept.pop();
  return [...kept, BLOCK_BEGIN, ...lines.map(printLine), BLOCK_END, ''].join('\n');
}

/** The live phx-managed keys, for drift: repeated keys joined by newlines in file order. */
export function managedSettings(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of split(text).block) {
    const parsed = parseLine(line);
    if (parsed === undefined) continue;
    const prev = out[parsed.key];
    out[parsed.key] = prev === undefined ? parsed.value : `${prev}\n${parsed.value}`;
  }
  return out;
}

/** The config a freshly extracted rootfs starts with, before settings are applied. */
export function baseConfig(opts: {
  readonly id: string;
  readonly rootfs: string;
  readonly commonConf: string | undefined;
}): string {
  return [
    `# LXC config of CT ${opts.id}, written by phx (lxc backend).`,
    ...(opts.commonConf === undefined
      ? []
      : [printLine({ key: 'lxc.include', value: opts.commonConf })]),
    printLine({ key: 'lxc.rootfs.path', value: `dir:${opts.rootfs}` }),
    BLOCK_BEGIN,
    printLine({ key: 'lxc.uts.name', value: opts.id }),
    // No network until settings declare one: a new netns with loopback only.
    printLine({ key: 'lxc.net.0.type', value: 'empty' }),
    BLOCK_END,
    '',
  ].join('\n');
}
