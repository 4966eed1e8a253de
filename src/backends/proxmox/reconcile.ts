// Desired settings vs the live conf → the fewest changes that make them equal:
// one `pct set` (values that differ, plus `--delete` for managed keys the
// entry no longer declares), disk growth, and the raw-line rewrite. Pure, so
// "the second apply is a no-op" is a unit test.
import type { LiveConf } from './conf-file.ts';
import { sameRawLines } from './conf-file.ts';
import { parsePropertyString, parseSizeGb, samePropertyString } from './property-string.ts';
import {
  isManagedKey,
  MANAGED_KEYS,
  printMount,
  type DesiredMount,
  type DesiredSettings,
} from './settings.ts';

export interface ReconcilePlan {
  /** Keys to set, in a stable order. */
  readonly set: readonly (readonly [string, string])[];
  /** Managed keys present live but no longer declared. */
  readonly delete: readonly string[];
  /** `pct resize <id> <disk> <N>G`: only ever growth. */
  readonly resizes: readonly { readonly disk: string; readonly sizeGb: number }[];
  /** The raw lines to write, or undefined when the file already has exactly them. */
  readonly rawLines?: readonly string[];
  /** Things worth a log line (a volume left as unusedN, a disk that cannot shrink). */
  readonly notes: readonly string[];
}

const featureDefaults = { nesting: '0', keyctl: '0', fuse: '0', mknod: '0', force_rw_sys: '0' };

/** Whether a live value already says what the desired one says. */
export function sameOption(key: string, desired: string, live: string | undefined): boolean {
  if (live === undefined) return false;
  if (/^net\d+$/.test(key)) {
    return samePropertyString(desired, live, {
      defaults: { type: 'veth', firewall: '0' },
      fold: ['hwaddr'],
    });
  }
  if (key === 'features') return samePropertyString(desired, live, { defaults: featureDefaults });
  if (key === 'startup') return samePropertyString(desired, live, { defaultKey: 'order' });
  if (key === 'nameserver')
    return desired.split(/[\s,;]+/).join(' ') === live.split(/[\s,;]+/).join(' ');
  if (/^mp\d+$/.test(key)) return samePropertyString(desired, live, { defaultKey: 'volume' });
  return desired === live.trim();
}

interface LiveMount {
  readonly index: number;
  readonly volume: string;
  readonly mp: string | undefined;
  readonly sizeGb: number | undefined;
}

function liveMounts(live: LiveConf): LiveMount[] {
  const out: LiveMount[] = [];
  for (const [key, value] of live.options) {
    const m = /^mp(\d+)$/.exec(key);
    if (!m) continue;
    const p = parsePropertyString(value, 'volume');
    const volume = p.get('volume') ?? '';
    // An unallocated `pool:50` (as written) counts as 50 GiB.
    const bare = /^[^:/]+:(\d+)$/.exec(volume)?.[1];
    const size = p.get('size');
    out.push({
      index: Number(m[1]),
      volume,
      mp: p.get('mp'),
      sizeGb:
        size !== undefined ? parseSizeGb(size) : bare !== undefined ? Number(bare) : undefined,
    });
  }
  return out.sort((a, b) => a.index - b.index);
}

function matches(d: DesiredMount, l: LiveMount): boolean {
  if (l.mp !== d.ctPath) return false;
  return d.kind === 'bind' ? l.volume === d.hostPath : l.volume.startsWith(`${d.pool}:`);
}

/**
 * Give each declared mount an mpN: the index it already has live when one
 * matches (a volume is never re-allocated because an earlier mount was
 * removed), else the lowest free index, in declared order. On a fresh
 * container this is positional: mount_points first, then zfs_volumes.
 */
function planMounts(
  desired: readonly DesiredMount[],
  live: LiveConf,
  set: [string, string][],
  resizes: { disk: string; sizeGb: number }[],
  notes: string[],
): Set<string> {
  const lives = liveMounts(live);
  const taken = new Map<number, DesiredMount>();
  const unplaced: DesiredMount[] = [];
  const claimed = new Set<number>();
  for (const d of desired) {
    const l = lives.find((x) => !claimed.has(x.index) && matches(d, x));
    if (l === undefined) {
      unplaced.push(d);
      continue;
    }
    claimed.add(l.index);
    taken.set(l.index, d);
    const key = `mp${l.index}`;
    if (d.kind === 'bind') {
      if (!sameOption(key, printMount(d), live.options.get(key))) set.push([key, printMount(d)]);
    } else if (l.sizeGb !== undefined && l.sizeGb < d.sizeGb) {
      resizes.push({ disk: key, sizeGb: d.sizeGb });
    } else if (l.sizeGb !== undefined && l.sizeGb > d.sizeGb) {
      notes.push(
        `${key} is ${l.sizeGb}G, more than the declared ${d.sizeGb}G; volumes cannot shrink, left as is`,
      );
    }
  }
  let next = 0;
  for (const d of unplaced) {
    while (taken.has(next)) next++;
    taken.set(next, d);
    const key = `mp${next}`;
    const old = lives.find((l) => l.index === next);
    if (old !== undefined && !old.volume.startsWith('/')) {
      notes.push(
        `${key} is re-used; its volume ${old.volume} stays on the storage as an unused disk`,
      );
    }
    set.push([key, printMount(d)]);
  }
  for (const l of lives) {
    if (!taken.has(l.index) && !l.volume.startsWith('/')) {
      notes.push(
        `mp${l.index} is no longer declared; its volume ${l.volume} stays on the storage as an unused disk`,
      );
    }
  }
  return new Set([...taken.keys()].map((i) => `mp${i}`));
}

export function reconcile(desired: DesiredSettings, live: LiveConf): ReconcilePlan {
  const set: [string, string][] = [];
  const resizes: { disk: string; sizeGb: number }[] = [];
  const notes: string[] = [];
  for (const key of MANAGED_KEYS) {
    const want = desired.options[key];
    if (want !== undefined && !sameOption(key, want, live.options.get(key))) set.push([key, want]);
  }
  const mpKeys = planMounts(desired.mounts, live, set, resizes, notes);
  const declared = new Set([
    ...MANAGED_KEYS.filter((k) => desired.options[k] !== undefined),
    ...mpKeys,
  ]);
  const del = [...live.options.keys()].filter((k) => isManagedKey(k) && !declared.has(k)).sort();
  set.sort((a, b) => keyRank(a[0]) - keyRank(b[0]));

  if (desired.rootfsSizeGb !== undefined) {
    const rootfs = live.options.get('rootfs');
    const size =
      rootfs === undefined ? undefined : parsePropertyString(rootfs, 'volume').get('size');
    const liveGb = size === undefined ? undefined : parseSizeGb(size);
    if (liveGb === undefined) notes.push('rootfs size unknown; not resized');
    else if (liveGb < desired.rootfsSizeGb)
      resizes.unshift({ disk: 'rootfs', sizeGb: desired.rootfsSizeGb });
    else if (liveGb > desired.rootfsSizeGb) {
      notes.push(
        `rootfs is ${liveGb}G, more than storage_size_gb ${desired.rootfsSizeGb}; disks cannot shrink, left as is`,
      );
    }
  }
  return {
    set,
    delete: del,
    resizes,
    ...(sameRawLines(desired.rawLines, live.rawLines) ? {} : { rawLines: desired.rawLines }),
    notes,
  };
}

function keyRank(key: string): number {
  const i = MANAGED_KEYS.indexOf(key);
  return i >= 0 ? i : MANAGED_KEYS.length + Number(key.slice(2));
}

/** The one `pct set` for a plan, or undefined when nothing differs. */
export function pctSetArgv(id: number, plan: ReconcilePlan): string[] | undefined {
  if (plan.set.length === 0 && plan.delete.length === 0) return undefined;
  const argv = ['pct', 'set', String(id)];
  for (const [k, v] of plan.set) argv.push(`--${k}`, v);
  if (plan.delete.length > 0) argv.push('--delete', plan.delete.join(','));
  return argv;
}
