// Command lines and file texts of the host operations containers need
// (host-guest-ops.ts), as argv: a path or a profile name from the configs
// is one argv element, never shell text. The same lines run on a real node
// and on the sim.
import type { FolderSpec, SubidSpec } from '../host-guest-ops.ts';

/** Where apparmor_parser and the apparmor service read profiles from. */
export const apparmorDir = '/etc/apparmor.d';

/** Profiles the kernel has loaded, one `name (mode)` a line (securityfs). */
export const loadedProfilesPath = '/sys/kernel/security/apparmor/profiles';

export const profilePath = (name: string): string => `${apparmorDir}/${name}`;

/**
 * `-r`: replace the profile if loaded (else add it); `-W`: also write the
 * compiled cache, so the profile is back after a reboot without a compile.
 */
export const loadProfileArgs = (name: string): string[] => [
  'apparmor_parser',
  '-r',
  '-W',
  profilePath(name),
];

/** `uid:gid` of the path itself; exit 1 (`No such file or directory`) when it is missing. */
export const statOwnerArgs = (path: string): string[] => ['stat', '-c', '%u:%g', '--', path];

export const mkdirArgs = (path: string): string[] => ['mkdir', '-p', '--', path];

/** The folder only: what a container already wrote inside keeps its owner. */
export const chownArgs = (f: FolderSpec): string[] => ['chown', `${f.uid}:${f.gid}`, '--', f.path];

export const subidLine = (s: SubidSpec): string => `${s.user}:${s.start}:${s.count}`;

interface Range {
  readonly start: number;
  readonly end: number;
}

/** The ranges a subuid/subgid text grants `user` (malformed lines are skipped, as shadow-utils does). */
export function grantedRanges(text: string, user: string): Range[] {
  const out: Range[] = [];
  for (const line of text.split('\n')) {
    const [who, start, count] = line.trim().split(':');
    if (who !== user || start === undefined || count === undefined) continue;
    const [s, c] = [Number(start), Number(count)];
    if (Number.isInteger(s) && Number.isInteger(c) && s >= 0 && c > 0)
      out.push({ start: s, end: s + c });
  }
  return out;
}

/** Whether the granted ranges, joined, hold every id of [start, start + count). */
export function rangeCovered(granted: readonly Range[], start: number, count: number): boolean {
  let at = start;
  const end = start + count;
  const sorted = [...granted].sort((a, b) => a.start - b.start);
  for (const r of sorted) {
    if (r.start > at) break;
    if (r.end > at) at = r.end;
    if (at >= end) return true;
  }
  return at >= end;
}

/** The file with the line appended (a missing final newline is added first). */
export function withSubidLine(text: string, spec: SubidSpec): string {
  const base = text === '' || text.endsWith('\n') ? text : `${text}\n`;
  return `${base}${subidLine(spec)}\n`;
}

/** Loaded profile names of the securityfs list (`name (enforce)`). */
export function loadedProfiles(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const m = /^(.+) \((?:enforce|complain|kill|unconfined|prompt)\)$/.exec(line.trim());
    if (m) names.add(m[1]!);
  }
  return names;
}
