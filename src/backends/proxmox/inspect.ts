// The plan path's one query per guest: `pvesh get …/snapshot` lists the
// snapshots with descriptions and, in its `current` pseudo-entry, whether the
// guest runs (PVE's snapshot_list adds `running` there). A guest that does
// not exist fails with "does not exist".
import type { GuestKind } from '../../core/ids.ts';
import type { SnapshotInfo } from '../../core/snapshot.ts';

export function snapshotListArgv(node: string, kind: GuestKind, id: number): string[] {
  const api = kind === 'lxc' ? 'lxc' : 'qemu';
  return ['pvesh', 'get', `/nodes/${node}/${api}/${id}/snapshot`, '--output-format', 'json'];
}

/** `pvesh get /nodes/<node>/lxc` for every CT's status at once (fallback when `current` lacks `running`). */
export function guestListArgv(node: string, kind: GuestKind): string[] {
  return [
    'pvesh',
    'get',
    `/nodes/${node}/${kind === 'lxc' ? 'lxc' : 'qemu'}`,
    '--output-format',
    'json',
  ];
}

export function isMissingGuest(stderr: string): boolean {
  return /does not exist|no such (container|vm|guest)/i.test(stderr);
}

export interface SnapshotList {
  /** Undefined when the output does not say (then the list query decides). */
  readonly running: boolean | undefined;
  /** Oldest first. */
  readonly snapshots: readonly SnapshotInfo[];
}

interface RawSnap {
  name?: unknown;
  description?: unknown;
  snaptime?: unknown;
  parent?: unknown;
  running?: unknown;
}

/**
 * Order: by depth in the parent chain, then snaptime, then name. Parent links
 * are what PVE's ZFS rollback rule follows; snaptime alone ties within a second.
 */
export function parseSnapshotList(json: string): SnapshotList | undefined {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!Array.isArray(data)) return undefined;
  const items = data as RawSnap[];
  const current = items.find((s) => s.name === 'current');
  const snaps = items.filter((s) => typeof s.name === 'string' && s.name !== 'current');
  const byName = new Map(snaps.map((s) => [s.name as string, s]));
  const depth = (s: RawSnap, seen = new Set<string>()): number => {
    const p = typeof s.parent === 'string' ? byName.get(s.parent) : undefined;
    if (p === undefined || seen.has(p.name as string)) return 0;
    seen.add(p.name as string);
    return 1 + depth(p, seen);
  };
  const sorted = snaps
    .map((s) => ({ s, d: depth(s), t: Number(s.snaptime ?? 0) }))
    .sort((a, b) => a.d - b.d || a.t - b.t || String(a.s.name).localeCompare(String(b.s.name)));
  const running = current?.running;
  return {
    running:
      running === undefined ? undefined : running === 1 || running === true || running === '1',
    snapshots: sorted.map(({ s }) => ({
      name: s.name as string,
      description: typeof s.description === 'string' ? s.description.replace(/\n$/, '') : '',
    })),
  };
}

/** `pvesh get /nodes/<node>/lxc` → ids of running guests. */
export function parseRunning(json: string): Set<number> {
  const out = new Set<number>();
  try {
    const data: unknown = JSON.parse(json);
    if (Array.isArray(data)) {
      for (const g of data as { vmid?: unknown; status?: unknown }[]) {
        if (g.status === 'running') out.add(Number(g.vmid));
      }
    }
  } catch {
    // An unreadable list means no guest is known to run.
  }
  return out;
}

/** `pct status` prints `status: running` or `status: stopped`. */
export function isRunningStatus(stdout: string): boolean {
  return /^status:\s*running\b/m.test(stdout);
}
