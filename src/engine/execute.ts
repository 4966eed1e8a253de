// Executes a plan: schedules the targets that build, runs each through its
// rule on the backend, snapshots layers, and records every success in the
// cache in one transaction once its output exists.
import { mkdirSync, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Backend, GuestState, OpContext } from '../backends/backend.ts';
import type { Cache } from '../cache/cache-api.ts';
import type { Guest, Project } from '../model/model.ts';
import type { Target } from '../../targets/target.ts';
import { layerSnapshotDescription, layerSnapshotName } from '../../rules/snapshot-ownership.ts';
import type { Plan } from './plan.ts';
import type { PlannedTarget } from './planned-target.ts';
import { ruleFor, type GuestRun, type Resume, type RuleRegistry } from '../../rules/rule.ts';
import { schedule, type Job, type JobOutcome } from './scheduler.ts';
import type { TargetId, TargetKind } from '../core/target-id.ts';
import { artifactDir, publishedDir } from './artifacts.ts';
import type { BuildEvent, TargetRef } from '../core/events.ts';
import { toFailure } from './to-failure.ts';
import { existsSync } from 'node:fs';
import { recordLines } from './line-counts.ts';
import { roleRelative, type FileRoot } from './file-roots.ts';
import type { SecretKey } from './secret-key.ts';

export interface ExecuteOptions {
  readonly plan: Plan;
  readonly project: Project;
  readonly backend: Backend;
  readonly cache: Cache;
  readonly rules: RuleRegistry;
  readonly liveState: ReadonlyMap<string, GuestState>;
  readonly parallelism: number;
  readonly keepGoing: boolean;
  readonly signal: AbortSignal;
  readonly poolSize: (pool: string) => number;
  readonly estimate: (id: TargetId, kind: TargetKind) => number;
  readonly env: NodeJS.ProcessEnv;
  /** Pools named by --allow-destructive: the only ones a build may create on their disks. */
  readonly allowDestructive?: ReadonlySet<string>;
  /** phx's owner mark, given to every guest this build creates or clones. */
  readonly owner?: string;
  /** Where input files' line digests are kept from, so later plans can count changed lines. */
  readonly lines?: { readonly key: SecretKey; readonly roots: readonly FileRoot[] };
  /** The build's events, in order, for the views (plain, live, NDJSON). */
  readonly onEvent: (e: BuildEvent) => void;
}

export interface TargetRun {
  readonly startMs?: number;
  readonly endMs?: number;
  readonly outcome: JobOutcome | { readonly type: 'skipped' };
  readonly commands: string[][];
  readonly log?: string;
}

export interface ExecuteResult {
  readonly runs: ReadonlyMap<TargetId, TargetRun>;
  readonly wallMs: number;
}

export async function execute(opts: ExecuteOptions): Promise<ExecuteResult> {
  const t0 = performance.now();
  const now = () => Math.round(performance.now() - t0);
  const { plan } = opts;
  const building = plan.targets.filter((p) => p.action === 'build');
  const guests = new Map<string, GuestRun>();
  const guestRun = (entry: string): GuestRun => {
    let g = guests.get(entry);
    if (!g) {
      const live = opts.liveState.get(entry);
      g = {
        exists: live?.exists ?? false,
        running: live?.running ?? false,
        snapshots: [...(live?.snapshots ?? [])],
      };
      guests.set(entry, g);
    }
    return g;
  };
  const outputs = new Map<TargetId, string>();
  const outputOf = (id: TargetId) => outputs.get(id) ?? plan.byId.get(id)?.record?.output;
  const runs = new Map<TargetId, TargetRun>();
  const commands = new Map<TargetId, string[][]>();
  const times = new Map<TargetId, { start: number; end?: number; log: string }>();
  const refOf = (p: PlannedTarget): TargetRef => ({
    id: p.target.id,
    entry: p.target.entry,
    kind: p.target.kind,
  });

  // Per guest: the first layer that builds. When it is not the base, the
  // guest resumes from the previous layer's snapshot (done by `settings`).
  const firstLayer = new Map<string, PlannedTarget>();
  for (const p of building) {
    if (p.target.layer !== undefined && !firstLayer.has(p.target.entry))
      firstLayer.set(p.target.entry, p);
  }
  // Layer chains by guest, indexed once: settings look up the layer below the first rebuilt one.
  const layers = new Map<string, PlannedTarget[]>();
  for (const p of plan.targets) {
    if (p.target.layer === undefined) continue;
    let chain = layers.get(p.target.entry);
    if (!chain) layers.set(p.target.entry, (chain = []));
    chain[p.target.layer] = p;
  }
  const layerBefore = (entry: string, layer: number): PlannedTarget | undefined =>
    layers.get(entry)?.[layer - 1];

  const jobs: Job[] = building.map((p) => ({
    id: p.target.id,
    after: buildingAncestors(p, plan),
    pools: p.target.pools,
    estimateMs: opts.estimate(p.target.id, p.target.kind),
  }));
  const estimates = new Map(jobs.map((j) => [j.id, j.estimateMs]));
  opts.onEvent({
    type: 'planned',
    atMs: now(),
    targets: plan.targets.map((p) => ({
      ...refOf(p),
      action: p.action,
      estimateMs: estimates.get(p.target.id) ?? 0,
    })),
    parallelism: opts.parallelism,
  });
  for (const p of plan.targets)
    if (p.action === 'skip') opts.onEvent({ type: 'skipped', atMs: now(), target: refOf(p) });
  const byId = new Map(building.map((p) => [p.target.id as string, p]));
  // Targets whose published files some feature consumes (artifact edges).
  const producers = new Set<string>();
  for (const p of plan.targets)
    for (const e of p.target.deps) if (e.kind === 'artifact') producers.add(e.from);

  const outcomes = await schedule(jobs, {
    parallelism: opts.parallelism,
    keepGoing: opts.keepGoing,
    signal: opts.signal,
    poolSize: opts.poolSize,
    onCancel: (id, reason) => {
      opts.onEvent({ type: 'cancelled', atMs: now(), target: refOf(byId.get(id)!), reason });
    },
    run: async (job, signal): Promise<JobOutcome> => {
      const p = byId.get(job.id)!;
      const t = p.target;
      const logRel = join('logs', t.id, `${p.fingerprint}.log`);
      const logPath = join(opts.cache.dir, logRel);
      try {
        mkdirSync(join(logPath, '..'), { recursive: true });
      } catch (e) {
        // No folder for its log (a full disk): a failure value like any other, never a crash.
        const failure = toFailure(e, opts.cache.dir);
        const at = now();
        opts.onEvent({
          type: 'failed',
          atMs: at,
          target: refOf(p),
          durationMs: 0,
          failure,
          log: logPath,
        });
        return { type: 'failed', failure };
      }
      const log = createWriteStream(logPath);
      // A full disk fails this target with "no space left in <dir>" (below),
      // never an unhandled 'error' event that kills the build.
      let logFailure: Error | undefined;
      log.on('error', (e) => (logFailure ??= e));
      const cmds: string[][] = [];
      commands.set(t.id, cmds);
      const start = now();
      times.set(t.id, { start, log: logRel });
      opts.onEvent({ type: 'started', atMs: start, target: refOf(p), pools: t.pools });
      const op: OpContext = {
        target: t.id,
        targetKind: t.kind,
        // The views see exactly what the log file gets (no secrets reach either).
        log: (line) => {
          log.write(line + '\n');
          opts.onEvent({ type: 'log', atMs: now(), target: t.id, line });
        },
        commands: cmds,
        signal,
        ...(opts.owner !== undefined ? { owner: opts.owner } : {}),
      };
      try {
        const rule = ruleFor(opts.rules, t.kind);
        const guest = guestRun(t.entry);
        let resume: Resume | undefined;
        if (t.kind === 'settings') {
          const first = firstLayer.get(t.entry);
          if (first && first.target.layer! > 0) {
            const before = layerBefore(t.entry, first.target.layer!);
            const snapshot = before ? outputOf(before.target.id) : undefined;
            if (snapshot) {
              // Newest first; the settings rule deletes only phx's own among them.
              // A resume snapshot gone from the guest has no newer ones: the
              // rollback then fails on it, rather than clearing every snapshot.
              const at = guest.snapshots.findIndex((s) => s.name === snapshot);
              resume = {
                snapshot,
                newer:
                  at < 0
                    ? []
                    : guest.snapshots
                        .slice(at + 1)
                        .map((s) => s.name)
                        .reverse(),
              };
            }
          }
        }
        const artifacts = new Map<TargetId, string>();
        for (const e of t.deps) {
          if (e.kind !== 'artifact') continue;
          const producer = plan.byId.get(e.from)!;
          const dir = artifactDir(opts.cache.dir, producer.target.id, producer.fingerprint);
          // Built in an earlier run and the cache lost it: read it off the producer again.
          if (!existsSync(dir))
            await opts.backend.pull(guestOf(producer.target), publishedDir, dir, op);
          artifacts.set(e.from, dir);
        }
        const output = await rule.run({
          target: t,
          fingerprint: p.fingerprint,
          project: opts.project,
          backend: opts.backend,
          op,
          guest,
          outputOf,
          ...(resume ? { resume } : {}),
          artifacts,
          scratchDir: join(opts.cache.dir, 'scratch', t.id.replace(/\//g, '_')),
          env: opts.env,
          allowDestructive: opts.allowDestructive ?? new Set(),
        });
        if (producers.has(t.id)) {
          await opts.backend.pull(
            guestOf(t),
            publishedDir,
            artifactDir(opts.cache.dir, t.id, p.fingerprint),
            op,
          );
        }
        let recorded = output;
        if (rule.produces === 'layer-snapshot') {
          recorded = layerSnapshotName(p.fingerprint);
          if (guest.snapshots.some((s) => s.name === recorded)) {
            await opts.backend.deleteSnapshot(guestOf(t), recorded, op);
            guest.snapshots = guest.snapshots.filter((s) => s.name !== recorded);
          }
          const description = layerSnapshotDescription(p.fingerprint, t.id);
          await opts.backend.snapshot(guestOf(t), recorded, description, op);
          guest.snapshots.push({ name: recorded, description });
        }
        if (logFailure !== undefined) throw logFailure;
        outputs.set(t.id, recorded);
        const end = now();
        times.get(t.id)!.end = end;
        // The output exists now: record it, in one transaction.
        await opts.cache.putTarget(t.id, {
          fingerprint: p.fingerprint,
          data: p.json,
          output: recorded,
          entry: t.entry,
          kind: t.kind,
          backend: opts.backend.kind,
          builtAt: Date.now(),
          durationMs: end - start,
          log: logRel,
        });
        if (opts.lines) await keepLines(opts.cache, p, opts.lines);
        opts.onEvent({ type: 'built', atMs: end, target: refOf(p), durationMs: end - start });
        return { type: 'built' };
      } catch (e) {
        const end = now();
        times.get(t.id)!.end = end;
        // The log file keeps the whole story, a bug's stack included; the
        // views get the failure value below, never a stack.
        log.write(`failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        if (signal.aborted) {
          opts.onEvent({ type: 'cancelled', atMs: end, target: refOf(p), reason: 'interrupted' });
          return { type: 'cancelled', reason: 'interrupted' };
        }
        // The one conversion of this target's thrown value into its failure.
        const failure = toFailure(e, opts.cache.dir);
        // Best effort: a failure record lost to a full disk must not hide the failure.
        await opts.cache.putFailure(t.id, p.fingerprint).catch(() => undefined);
        opts.onEvent({
          type: 'failed',
          atMs: end,
          target: refOf(p),
          durationMs: end - start,
          failure,
          log: logPath,
        });
        return { type: 'failed', failure };
      } finally {
        await new Promise<void>((resolve) => log.end(resolve));
      }
    },
  });

  for (const p of plan.targets) {
    const outcome = p.action === 'skip' ? { type: 'skipped' as const } : outcomes.get(p.target.id)!;
    const time = times.get(p.target.id);
    runs.set(p.target.id, {
      ...(time ? { startMs: time.start, endMs: time.end ?? time.start, log: time.log } : {}),
      outcome,
      commands: commands.get(p.target.id) ?? [],
    });
  }
  const wallMs = now();
  opts.onEvent({ type: 'finished', atMs: wallMs });
  return { runs, wallMs };
}

/**
 * The building targets a job must wait for: its producers, looking through
 * producers that are skipped (settings → feature 1 (skipped) → feature 2).
 */
function buildingAncestors(p: PlannedTarget, plan: Plan): string[] {
  const out = new Set<string>();
  const seen = new Set<string>();
  const stack = p.target.deps.map((e) => e.from);
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const q = plan.byId.get(id);
    if (!q) continue;
    if (q.action === 'build') out.add(id);
    else stack.push(...q.target.deps.map((e) => e.from));
  }
  return [...out];
}

/**
 * The line digests of a built target's input files, for "+N −M lines" in a
 * later plan. Only an aid to reading plans: a failure here fails nothing.
 */
async function keepLines(
  cache: Cache,
  p: PlannedTarget,
  lines: { readonly key: SecretKey; readonly roots: readonly FileRoot[] },
): Promise<void> {
  const files = new Map<string, string>();
  for (const path of p.target.files) {
    const digest = p.data.files[roleRelative(lines.roots, path)];
    if (digest !== undefined) files.set(path, digest);
  }
  await recordLines(cache, files, lines.key).catch(() => undefined);
}

/** The guest of a target that must have one (a producer, a layer): a host target here is a broken invariant. */
function guestOf(t: Target): Guest {
  if (t.guest === undefined) throw new Error(`${t.id} belongs to no guest`);
  return t.guest;
}
