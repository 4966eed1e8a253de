// Read and edit /etc/pve/lxc/<id>.conf. Only the main section (before the
// first `[snapshot]` or `[pve:pending]` header) is the live config; snapshot
// sections keep their own copies and must survive every edit untouched.
import { normalizeRawLine } from './raw-lines.ts';

export interface LiveConf {
  /** Main-section `key: value` pairs (pct keys), description comments left out. */
  readonly options: ReadonlyMap<string, string>;
  /** Main-section raw `lxc.*` lines, normalised `key: value`, in file order. */
  readonly rawLines: readonly string[];
}

const sectionHeader = /^\[[^\]]+\]\s*$/;
const optionLine = /^([a-z][a-z_]*\d*):\s*(\S.*?)\s*$/;

function splitMain(text: string): { main: string[]; rest: string[] } {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => sectionHeader.test(l));
  return at < 0 ? { main: lines, rest: [] } : { main: lines.slice(0, at), rest: lines.slice(at) };
}

export function parseConf(text: string): LiveConf {
  const options = new Map<string, string>();
  const rawLines: string[] = [];
  for (const line of splitMain(text).main) {
    if (line.startsWith('#') || line.trim() === '') continue;
    if (line.startsWith('lxc.')) {
      const raw = normalizeRawLine(line);
      if (raw !== undefined) rawLines.push(raw);
      continue;
    }
    const m = optionLine.exec(line);
    if (m) options.set(m[1] ?? '', m[2] ?? '');
  }
  return { options, rawLines };
}

/**
 * The file with exactly `rawLines` as its main-section `lxc.*` lines, placed
 * where PVE writes them (end of the main section); everything else (pct keys,
 * description, snapshot and pending sections) kept byte for byte.
 */
export function replaceRawLines(text: string, rawLines: readonly string[]): string {
  const { main, rest } = splitMain(text);
  const kept = main.filter((l) => !l.startsWith('lxc.'));
  while (kept.length > 0 && kept[kept.length - 1]?.trim() === '') kept.pop();
  const out = [...kept, ...rawLines];
  if (rest.length > 0) return [...out, '', ...rest].join('\n').replace(/\n*$/, '\n');
  return out.join('\n') + '\n';
}

export function sameRawLines(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((l, i) => l === b[i]);
}
