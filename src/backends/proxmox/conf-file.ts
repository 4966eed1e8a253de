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

/**
 * The config as it will be after the next start: a running CT keeps changes
 * it cannot hot-plug in `[pve:pending]` (values, and `delete: a,b`), and
 * diffing against the main section alone would re-issue them on every apply.
 */
export function parseConf(text: string): LiveConf {
  const options = new Map<string, string>();
  const rawLines: string[] = [];
  const lines = text.split('\n');
  const { main } = splitMain(text);
  for (const line of main) {
    if (line.startsWith('#') || line.trim() === '') continue;
    if (line.startsWith('lxc.')) {
      const raw = normalizeRawLine(line);
      if (raw !== undefined) rawLines.push(raw);
      continue;
    }
    const m = optionLine.exec(line);
    if (m) options.set(m[1] ?? '', m[2] ?? '');
  }
  const pendingAt = lines.findIndex((l) => /^\[pve:pending\]\s*$/i.test(l));
  if (pendingAt >= 0) {
    for (const line of lines.slice(pendingAt + 1)) {
      if (sectionHeader.test(line)) break;
      const m = optionLine.exec(line);
      if (!m) continue;
      if (m[1] === 'delete')
        for (const k of (m[2] ?? '').split(/[,;\s]+/)) options.delete(k.replace(/^!/, ''));
      else options.set(m[1] ?? '', m[2] ?? '');
    }
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

/**
 * The config's `lock:` (backup, snapshot, migrate, …), or undefined. Only the
 * main section counts: a snapshot section never holds the CT's lock.
 */
export function confLock(text: string): string | undefined {
  for (const line of splitMain(text).main) {
    const m = /^lock:\s*(\S+)\s*$/.exec(line);
    if (m) return m[1];
  }
  return undefined;
}
