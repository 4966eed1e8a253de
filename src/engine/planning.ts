// Plans a prepared project against the cache and the host's outputs: live
// (one query per guest), recorded (--offline), or an exported state (--state).
import { readFileSync } from 'node:fs';
import type { Backend, GuestState } from '../backends/backend.ts';
import { openCache, type Cache } from '../cache/cache.ts';
import { FileDigests } from '../cache/file-digests.ts';
import type { StateExport, TargetRecord } from '../cache/records.ts';
import type { Guest, GuestId } from '../model/model.ts';
import { ruleDigests } from './rule-digests.ts';
import { makePlan, type OutputView, type Plan } from './plan.ts';
import { secretDigestFor } from './secrets.ts';
import type { Prepared } from './pipeline.ts';
import type { TargetId } from './target-id.ts';

export type OutputSource =
  | { readonly type: 'live'; readonly backend: Backend }
  | { readonly type: 'offline'; readonly backendKind: string }
  | { readonly type: 'state'; readonly state: StateExport; readonly backendKind: string };

export interface Planned {
  readonly plan: Plan;
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
  const states = await backend.inspect(
    guests.map((g) => ({ kind: g.kind, id: g.id })),
    signal,
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
  switch (source.type) {
    case 'live': {
      const entries = new Set([...selection].map((id) => prepared.graph.targets.get(id)!.entry));
      const guests = [...entries].map((e) => prepared.project.guests.get(Number(e) as GuestId)!);
      live = await inspectGuests(source.backend, guests, opts.signal);
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
      root: prepared.paths.root,
      force: opts.force,
      secrets: secretDigestFor(prepared.paths.cacheDir, prepared.project.configDir, process.env),
    },
    prepared.unbuilt,
  );
  return { plan, cache, live };
}
