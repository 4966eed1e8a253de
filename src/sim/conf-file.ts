// `/etc/pve/lxc/<id>.conf`: render a CT as Proxmox writes it, and parse what
// the proxmox backend writes back. Layout as pve-container's write_pct_config:
// description as `#` lines, keys sorted, raw `lxc.*` lines in order, then one
// `[snapname]` section per snapshot.
import type { ConfigSection, CtState } from './ct-state.ts';
import { configIndexed, configOptions, findOption, lockNames } from './pct-spec.ts';
import { pendingSection } from './pending.ts';
import { integer, snapname } from './pve-formats.ts';

/** PVE's encode_text: control and high-bit bytes (UTF-8) and ':' as %XX. */
export function encodeText(line: string): string {
  let out = '';
  for (const b of Buffer.from(line, 'utf8')) {
    out +=
      b < 0x20 || b === 0x3a || b > 0x7e
        ? `%${b.toString(16).toUpperCase().padStart(2, '0')}`
        : String.fromCharCode(b);
  }
  return out;
}

export function decodeText(line: string): string {
  try {
    return decodeURIComponent(line.replace(/%(?![0-9a-f]{2})/gi, '%25'));
  } catch {
    return line; // not valid UTF-8 escapes: keep the text as written
  }
}

export function renderSection(s: ConfigSection, extra: Record<string, string> = {}): string {
  let out = '';
  for (const line of s.description === '' ? [] : s.description.replace(/\n$/, '').split('\n'))
    out += `#${encodeText(line)}\n`;
  const keys = { ...s.keys, ...extra };
  for (const k of Object.keys(keys).sort()) out += `${k}: ${keys[k]!}\n`;
  for (const [k, v] of s.raw) out += `${k}: ${v}\n`;
  return out;
}

export function renderConf(ct: CtState): string {
  let out = renderSection(ct.config, ct.lock ? { lock: ct.lock.name } : {});
  if (ct.pending) out += `\n[pve:pending]\n${renderSection(pendingSection(ct.pending))}`;
  for (const snap of [...ct.snapshots].sort((a, b) => a.name.localeCompare(b.name))) {
    out += `\n[${snap.name}]\n${renderSection(snap.config)}`;
  }
  return out;
}

export interface ParsedConf {
  readonly main: ConfigSection;
  readonly lock?: string;
  /** The `[pve:pending]` section, when the file has one. */
  readonly pending?: ConfigSection;
  /** In file order. */
  readonly snapshots: readonly { readonly name: string; readonly config: ConfigSection }[];
}

const confSpec = { options: configOptions, indexed: configIndexed };
const rawLine = /^(lxc\.[a-z0-9_\-.]+)(?::|\s*=)\s*(.*?)\s*$/;
const keyLine = /^([a-z][a-z_-]*\d*):\s*(.*?)\s*$/;

/** Parse a CT config; every problem as `line N: message`. */
export function parseConf(text: string): { conf: ParsedConf; errors: string[] } {
  const errors: string[] = [];
  const main: ConfigSection = { description: '', keys: {}, raw: [] };
  const snapshots: { name: string; config: ConfigSection }[] = [];
  let lock: string | undefined;
  let pending: ConfigSection | undefined;
  let current = main;
  let inSnapshot = false;
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const at = `line ${i + 1}`;
    if (/^\s*$/.test(line)) return;
    const section = /^\[([^\]]*)\]\s*$/.exec(line);
    if (section) {
      const name = section[1]!;
      const bad = snapname(name, 'snapname');
      if (name === 'pve:pending') {
        if (pending !== undefined || snapshots.length > 0)
          errors.push(`${at}: [pve:pending] must come once, before the snapshot sections`);
        current = pending = { description: '', keys: {}, raw: [] };
        inSnapshot = false;
        return;
      }
      if (bad.length > 0) errors.push(`${at}: invalid section name '[${name}]' (${bad[0]!})`);
      else if (snapshots.some((s) => s.name === name))
        errors.push(`${at}: duplicate snapshot section '[${name}]'`);
      current = { description: '', keys: {}, raw: [] };
      snapshots.push({ name, config: current });
      inSnapshot = true;
      return;
    }
    if (line.startsWith('#')) {
      current.description += `${decodeText(line.slice(1))}\n`;
      return;
    }
    const raw = rawLine.exec(line);
    if (raw) {
      current.raw.push([raw[1]!, raw[2]!]);
      return;
    }
    const kv = keyLine.exec(line);
    if (!kv) {
      errors.push(`${at}: unable to parse config: ${line}`);
      return;
    }
    const [, key, value] = kv as unknown as [string, string, string];
    if (key in current.keys || (key === 'lock' && lock !== undefined && !inSnapshot)) {
      errors.push(`${at}: duplicate key '${key}'`);
      return;
    }
    let problems: string[];
    if (key === 'lock')
      problems = lockNames.includes(value as (typeof lockNames)[number])
        ? []
        : [`lock: unknown lock '${value}'`];
    else if (key === 'parent') problems = snapname(value, key);
    else if (key === 'snaptime' && inSnapshot) problems = integer(0)(value, key);
    else if (key === 'delete' && current === pending) problems = [];
    else if (key === 'snapstate' && inSnapshot)
      problems = [`snapstate: snapshot '${snapshots.at(-1)!.name}' is unfinished (${value})`];
    else {
      const spec = findOption(confSpec, key);
      problems = spec
        ? spec.check(value, key)
        : [`${key}: unknown key (not a CT option nor a raw lxc.* key)`];
    }
    if (problems.length > 0) errors.push(...problems.map((p) => `${at}: ${p}`));
    else if (key === 'lock' && !inSnapshot) lock = value;
    else current.keys[key] = value;
  });
  if (pending !== undefined && (pending.raw.length > 0 || pending.description !== ''))
    errors.push('[pve:pending] holds only pct keys and `delete:`');
  return {
    conf: {
      main,
      snapshots,
      ...(lock === undefined ? {} : { lock }),
      ...(pending === undefined ? {} : { pending }),
    },
    errors,
  };
}
