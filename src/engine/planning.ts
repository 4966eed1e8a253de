// Plans a prepared project against the cache and the host's outputs: live
// (one query per guest), recorded (--offline), or an exported state (--state).
import { readFileSync } from 'node:fs';
import { OpError, type Backend, type GuestState, type SettingDrift } from '../backends/backend.ts';
import { fileRoots } from './file-roots.ts';
import { openCache, type Cache } from '../cache/cache.ts';
import { FileDigests } from '../cache/file-digests.ts';
import type { StateExport, TargetRecord } from '../cache/records.ts';
import type { Guest, GuestId } from '../model/model.ts';
import { ruleDigests } from './rule-digests.ts';
import { secretDigestFor } from './secrets.ts';
import { makePlan, type OutputView, type Plan } from './plan.ts';
import type { Prepared } from './pipeline.ts';
import type { TargetId } from './target-id.ts';

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
  opts: { force: boolean; signal: AbortSignal; cache?: Cache },
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
  switch (source.type) {
    case 'live': {
      const entries = new Set([...selection].map((id) => prepared.graph.targets.get(id)!.entry));
      const guests = [...entries].map((e) => prepared.project.guests.get(Number(e) as GuestId)!);
      live = await inspectGuests(source.backend, guests, opts.signal);
      drift = await settingsDrifts(source.backend, prepared, selection, live, opts.signal);
      outputs = {
        snapshotsOf: (entry) => (live.get(entry)?.exists ? live.get(entry)!.snapshots : undefined),
      };
      record = (id) => cache!.getTarget(id);
      break;
    }
    case 'offline':
      outputs = { snapshotsOf: () => 'trusted' };
      record = (id) => cache!.getTarget(id);
      break;
    case 'state': {
      const { state } = source;
      outputs = { snapshotsOf: (entry) => state.outputs[entry] };
      record = (id) => state.targets[id];
      break;
    }
  }
  const plan = await makePlan(
    {
      graph: prepared.graph,
      selection,
      record,
      outputs,
      digests,
      ruleDigests: await ruleDigests(digests, cache),
      backend: source.type === 'live' ? source.backend.kind : source.backendKind,
      roots: fileRoots(prepared.paths),
      force: opts.force,
      secrets: secretDigestFor(prepared.paths.cacheDir, prepared.project.configDir, process.env),
      drift: (entry) => drift.get(entry),
    },
    prepared.unbuilt,
  );
  return { plan, cache, live, drift };
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
