// Plans a prepared project against the cache and the host's outputs: live
// (one query per guest), recorded (--offline), or an exported state (--state).
import { readFileSync } from 'node:fs';
import { type Backend, type GuestState, type SettingDrift } from '../backends/backend.ts';
import { keptVolumes } from '../backends/kept-volumes.ts';
import { OpError } from '../core/failure.ts';
import { fileRoots } from './file-roots.ts';
import { recordsFromSnapshots } from './derive-records.ts';
import type { GuardInput } from './guard.ts';
import { ownershipOf, workspaceId, type Ownership } from './ownership.ts';
import { openCache } from '../cache/cache.ts';
import { type Cache } from '../cache/cache-api.ts';
import { FileDigests } from '../cache/file-digests.ts';
import type { StateExport, TargetRecord } from '../cache/records.ts';
import type { Guest } from '../model/model.ts';
import type { GuestId } from '../core/ids.ts';
import { ruleDigests } from './rule-digests.ts';
import { secretDigestFor } from './secrets.ts';
import { makePlan, type OutputView, type Plan } from './plan.ts';
import { configPlaces } from './config-places.ts';
import { lineCounter } from './line-counts.ts';
import type { Prepared } from './pipeline.ts';
import { missingHostOutputs } from './host-presence.ts';
import { hostEntry, type TargetId } from '../core/target-id.ts';

export type OutputSource =
  | { readonly type: 'live'; readonly backend: Backend }
  | { readonly type: 'offline'; readonly backendKind: string }
  | { readonly type: 'state'; readonly state: StateExport; readonly backendKind: string };

export interface Planned {
  readonly plan: Plan;
  /** Settings drift found on the host, by entry (live plans only). */
  readonly drift: ReadonlyMap<string, readonly SettingDrift[]>;
  readonly cache: Cache | undefined;
  /** Live guest state by entry, when asked of a backend. */
  readonly live: ReadonlyMap<string, GuestState>;
  /** Ownership and consent the plan was guarded with (live plans only). */
  readonly guard: GuardInput | undefined;
  /** Records missing from the cache and re-derived from this workspace's guests on the host. */
  readonly derived: ReadonlyMap<string, TargetRecord>;
}

export type StateRead = { ok: true; value: StateExport } | { ok: false; error: string };

export function readStateExport(path: string): StateRead {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<StateExport>;
    if (
      parsed.version !== 1 ||
      typeof parsed.targets !== 'object' ||
      typeof parsed.outputs !== 'object'
    ) {
      return { ok: false, error: `${path}: not a phx state export (version 1)` };
    }
    return { ok: true, value: parsed as StateExport };
  } catch (e) {
    return { ok: false, error: `${path}: ${e instanceof Error ? e.message : String(e)}` };
  }
}

// The host's targets (entry `host`): a live plan asks the host whether each
// recorded one's output is still there (its rule's `present`,
// host-presence.ts); a kind whose rule cannot say has its record trusted.

export async function inspectGuests(
  backend: Backend,
  guests: readonly Guest[],
  signal: AbortSignal,
): Promise<Map<string, GuestState>> {
  // Live settings too: drift is part of what a plan compares (DESIGN §8).
  const states = await backend.inspect(
    guests.map((g) => ({ kind: g.kind, id: g.id })),
    signal,
    { settings: true },
  );
  return new Map([...states].map(([id, s]) => [String(id), s]));
}

export async function planProject(
  prepared: Prepared,
  selection: ReadonlySet<TargetId>,
  source: OutputSource,
  opts: {
    force: boolean;
    signal: AbortSignal;
    cache?: Cache;
    /** Whether the user consented to re-creating this entry's service guest. */
    consent?: (entry: string) => boolean;
  },
): Promise<Planned> {
  const cache =
    source.type === 'state'
      ? undefined
      : (opts.cache ?? (await openCache(prepared.paths.cacheDir)));
  const digests = new FileDigests(cache);
  let live = new Map<string, GuestState>();
  let outputs: OutputView;
  let record: (id: TargetId) => TargetRecord | undefined;
  let drift = new Map<string, readonly SettingDrift[]>();
  let derived = new Map<string, TargetRecord>();
  let guard: GuardInput | undefined;
  switch (source.type) {
    case 'live': {
      const entries = new Set([...selection].map((id) => prepared.graph.targets.get(id)!.entry));
      // The host's targets have no guest to query: their rules are asked, below.
      entries.delete(hostEntry);
      const guests = [...entries].map((e) => prepared.project.guests.get(Number(e) as GuestId)!);
      live = await inspectGuests(source.backend, guests, opts.signal);
      const ws = workspaceId(prepared.paths.root);
      const ownership = (entry: string) => ownershipOf(live.get(entry), ws);
      derived = deriveLost(
        prepared,
        selection,
        live,
        ownership,
        (id) => cache!.getTarget(id),
        source.backend.kind,
      );
      drift = await settingsDrifts(source.backend, prepared, selection, live, opts.signal);
      record = (id) => cache!.getTarget(id) ?? derived.get(id);
      const recordedHost = [...selection].filter(
        (id) => prepared.graph.targets.get(id)!.entry === hostEntry && record(id) !== undefined,
      );
      const gone = await missingHostOutputs(
        recordedHost,
        prepared.rules,
        source.backend,
        opts.signal,
      );
      outputs = {
        hostOutputGone: (id) => gone.has(id),
        snapshotsOf: (entry) =>
          entry === hostEntry
            ? 'trusted'
            : live.get(entry)?.exists
              ? live.get(entry)!.snapshots
              : undefined,
      };
      guard = {
        ownership,
        snapshotsOf: (entry) => outputs.snapshotsOf(entry),
        services: servicesOf(prepared),
        consent: opts.consent ?? (() => false),
        keeps: (entry) => keptVolumes(Number(entry) as GuestId, live.get(entry)?.settings ?? {}),
      };
      break;
    }
    case 'offline':
      outputs = { snapshotsOf: () => 'trusted' };
      record = (id) => cache!.getTarget(id);
      break;
    case 'state': {
      const { state } = source;
      outputs = {
        snapshotsOf: (entry) => (entry === hostEntry ? 'trusted' : state.outputs[entry]),
      };
      record = (id) => state.targets[id];
      break;
    }
  }
  const plan = await makePlan({
    graph: prepared.graph,
    selection,
    record,
    outputs,
    digests,
    ruleDigests: await ruleDigests(digests, cache),
    rules: prepared.rules,
    backend: source.type === 'live' ? source.backend.kind : source.backendKind,
    roots: fileRoots(prepared.paths),
    force: opts.force,
    secrets: secretDigestFor(prepared.paths.cacheDir, prepared.project.configDir, process.env),
    drift: (entry) => drift.get(entry),
    locate: configPlaces(prepared.project.files),
    ...lineCountOf(cache, prepared.paths),
    ...(guard ? { guard } : {}),
  });
  return { plan, cache, live, drift, derived, guard };
}

/**
 * Live settings that differ from the declared ones, for every existing guest
 * whose `settings` target is planned: drift is an output difference, and the
 * next build repairs it (DESIGN §8). Entries whose settings phx cannot express
 * are left to validation and the build to report.
 */
async function settingsDrifts(
  backend: Backend,
  prepared: Prepared,
  selection: ReadonlySet<TargetId>,
  live: ReadonlyMap<string, GuestState>,
  signal: AbortSignal,
): Promise<Map<string, readonly SettingDrift[]>> {
  const { default: pLimit } = await import('p-limit');
  const limit = pLimit(8);
  const out = new Map<string, readonly SettingDrift[]>();
  const jobs: Promise<void>[] = [];
  for (const id of selection) {
    const t = prepared.graph.targets.get(id)!;
    if (t.kind !== 'settings' || live.get(t.entry)?.exists !== true) continue;
    jobs.push(
      limit(async () => {
        try {
          out.set(t.entry, await backend.settingsDrift(t.guest, signal));
        } catch (e) {
          if (!(e instanceof OpError && e.failure.type === 'rejected')) throw e;
        }
      }),
    );
  }
  await Promise.all(jobs);
  return out;
}

/**
 * Records of this workspace's guests that the cache lacks (lost, emptied, a
 * fresh checkout of the same workspace), re-derived from the snapshot
 * descriptions on the host: an empty cache never reads as "nothing exists".
 */
function deriveLost(
  prepared: Prepared,
  selection: ReadonlySet<TargetId>,
  live: ReadonlyMap<string, GuestState>,
  ownership: (entry: string) => Ownership,
  cached: (id: TargetId) => TargetRecord | undefined,
  backendKind: string,
): Map<string, TargetRecord> {
  const out = new Map<string, TargetRecord>();
  const entries = new Set<string>();
  for (const id of selection) {
    const t = prepared.graph.targets.get(id)!;
    if (cached(id) === undefined && ownership(t.entry).type === 'ours') entries.add(t.entry);
  }
  for (const entry of entries) {
    for (const [id, r] of recordsFromSnapshots(entry, live.get(entry)!.snapshots, backendKind))
      if (cached(id as TargetId) === undefined) out.set(id, r);
  }
  return out;
}

/**
 * Services: guests whose rootfs is state, because nothing is cloned from them
 * and they keep no template snapshot; minus those the build file calls disposable.
 */
export function servicesOf(prepared: Prepared): Set<string> {
  const cloned = new Set<number>();
  for (const g of prepared.project.guests.values())
    if (g.cloneFrom !== undefined) cloned.add(g.cloneFrom);
  const disposable = new Set((prepared.buildFile.disposable ?? []).map(String));
  const out = new Set<string>();
  for (const g of prepared.project.guests.values()) {
    const entry = String(g.id);
    if (g.templateSnapshotName === undefined && !cloned.has(g.id) && !disposable.has(entry))
      out.add(entry);
  }
  return out;
}

function lineCountOf(
  cache: Cache | undefined,
  paths: Prepared['paths'],
): Pick<Parameters<typeof makePlan>[0], 'lineCount'> {
  const counter = cache === undefined ? undefined : lineCounter(cache, paths);
  return counter === undefined ? {} : { lineCount: counter };
}
