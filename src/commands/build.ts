// `phx build [IDS…|--all] [--dry-run] [--keep-going] [--force] [--json]`
import { relative } from 'node:path';
import type { Backend, GuestState } from '../backends/backend.ts';
import { lockCacheFor } from './cache-lock.ts';
import { openCache } from '../cache/cache.ts';
import { execute, type ExecuteResult } from '../engine/execute.ts';
import { toFailure } from '../engine/to-failure.ts';
import { select } from '../engine/pipeline.ts';
import { prepare } from './prepare.ts';
import { sweepStaleRunFolders } from '../../rules/run-folder.ts';
import { ownerLine, workspaceId } from '../engine/ownership.ts';
import { planProject } from '../engine/planning.ts';
import type { Plan } from '../engine/plan.ts';
import { startOrder } from '../engine/start-order.ts';
import type { TargetKind } from '../core/target-id.ts';
import type { Project } from '../model/model.ts';
import type { GuestId } from '../core/ids.ts';
import { ExitCode, type CommandContext } from './context.ts';
import { opFor, restartChanged, restartText } from './build-restarts.ts';
import { chooseSource } from './plan-source.ts';
import { planText } from './plan-output.ts';
import { viewOf } from '../engine/plan-view.ts';
import { askConsent, guarded, keepDerived, refusedText, withoutRefused } from './build-guard.ts';
import { openViews } from './render/views.ts';
import { buildJson, type Started } from './render/build-json.ts';
import { buildSummary } from './render/summary.ts';
import { failureText } from './render/failure-text.ts';
import type { Paths } from '../engine/paths.ts';
import { fileRoots, type FileRoot } from '../engine/file-roots.ts';
import { loadSecretKey, type SecretKey } from '../engine/secret-key.ts';

export interface BuildArgs {
  readonly ids: readonly string[];
  readonly all?: boolean;
  readonly dryRun?: boolean;
  readonly keepGoing?: boolean;
  readonly force?: boolean;
  /** `reconfigure`: force only this entry's own targets; what they consume is planned as usual. */
  readonly onlyGuest?: string;
  /** Leave a running guest whose new settings wait for a start running; report "restart pending". */
  readonly noRestart?: boolean;
  /** Service guests the user consents to re-create (`--replace ID`). */
  readonly replace?: readonly string[];
  /** ZFS pools the user allows to be created on their disks (`--allow-destructive POOL`). */
  readonly allowDestructive?: readonly string[];
  /** Consent to every destruction the plan shows (`--yes`). */
  readonly yes?: boolean;
  /** `--events FILE|-`: the build's events as NDJSON, while it runs. */
  readonly events?: string;
}

const defaultEstimates: Readonly<Record<string, number>> = {
  create: 60_000,
  clone: 30_000,
  settings: 2_000,
  feature: 120_000,
  app: 60_000,
  check: 5_000,
  snapshot: 3_000,
  firewall: 1_000,
};

export async function run(ctx: CommandContext, args: BuildArgs): Promise<number> {
  const prepared = await prepare(ctx);
  if (!prepared.ok) return prepared.exitCode;
  const { paths, buildFile, project } = prepared.value;
  const selection = select(prepared.value, args.ids);
  if (!selection.ok) {
    ctx.io.err(`phx: ${selection.error}\n`);
    return ExitCode.usage;
  }
  // A mistyped --replace would consent to nothing and read as consent given.
  const unknown = (args.replace ?? []).filter((id) => !project.guests.has(Number(id) as GuestId));
  if (unknown.length > 0) {
    ctx.io.err(`phx: --replace ${unknown.join(', ')}: not a CTID or VMID in the configs\n`);
    return ExitCode.usage;
  }
  // Refused before anything is locked or built: a file that cannot be written, or stdout twice.
  const views = openViews(ctx, {
    ...(args.events === undefined ? {} : { events: args.events }),
    ...(ctx.io.terminal === undefined ? {} : { terminal: ctx.io.terminal }),
  });
  if (!views.ok) {
    ctx.io.err(`phx: ${views.error}\n`);
    return ExitCode.usage;
  }
  // From here on (the backend, the cache lock, the guard), stderr passes the live view.
  ctx = { ...ctx, io: { ...ctx.io, err: views.value.err } };
  const lock = await lockCacheFor(ctx, paths.cacheDir);
  if (!lock.ok) {
    views.value.close();
    return lock.exitCode;
  }
  const cache = await openCache(paths.cacheDir);
  // Run folders a killed phx left behind hold resolved secrets: gone before anything runs.
  await sweepStaleRunFolders();
  let backend: Backend | undefined;
  try {
    const source = await chooseSource(ctx, prepared.value, {});
    if (!source.ok) return source.exitCode;
    backend = source.backend!;
    const consented = new Set(args.replace ?? []);
    const planned = await planProject(prepared.value, selection.value, source.source, {
      force: (args.force ?? false) && args.onlyGuest === undefined,
      signal: ctx.signal,
      cache,
      consent: (entry) => args.yes === true || consented.has(entry),
    });
    const { live } = planned;
    let plan =
      args.onlyGuest === undefined
        ? planned.plan
        : guarded(
            (await import('./lifecycle/force-entry.ts')).forceEntry(planned.plan, args.onlyGuest),
            planned.guard,
          );
    if (args.dryRun) {
      ctx.io.out(planText(viewOf(plan), ctx.globals.verbose));
      return ExitCode.ok;
    }
    if (planned.guard && (await askConsent(ctx, plan, consented)))
      plan = guarded(plan, {
        ...planned.guard,
        consent: (e) => consented.has(e) || planned.guard!.consent(e),
      });
    await keepDerived(ctx, cache, planned.derived);
    const refused = [...plan.refused];
    plan = withoutRefused(plan);
    const { rules } = await import('../../rules/index.ts');
    const result = await execute({
      plan,
      project,
      backend,
      cache,
      rules,
      liveState: live,
      parallelism: ctx.globals.jobs ?? buildFile.jobs ?? 4,
      keepGoing: args.keepGoing ?? false,
      signal: ctx.signal,
      poolSize: (pool) => buildFile.pools?.[pool] ?? 1,
      estimate: (id, kind: TargetKind) =>
        cache.getDuration(id) ?? buildFile.sim?.durations?.[kind] ?? defaultEstimates[kind] ?? 1000,
      env: ctx.env,
      allowDestructive: new Set(args.allowDestructive ?? []),
      owner: ownerLine(workspaceId(paths.root)),
      ...linesOf(paths),
      onEvent: views.value.onEvent,
    });
    // The live block leaves the screen before the summary is written under it.
    views.value.close();
    const failed = [...result.runs.values()].some((r) => r.outcome.type === 'failed');
    const interrupted = ctx.signal.aborted;
    const restart = interrupted
      ? undefined
      : await restartChanged({
          project,
          backend,
          plan,
          result,
          restart: args.noRestart !== true,
          signal: ctx.signal,
        });
    let started: Started[] = [];
    if (!failed && !interrupted && (args.all || args.ids.length === 0)) {
      started = await startGuests(ctx, project, backend, plan, live, result);
    }
    if (ctx.globals.json)
      ctx.io.out(
        JSON.stringify(buildJson(plan, result, started, restart, paths.cacheDir), null, 2) + '\n',
      );
    else if (!ctx.globals.quiet) {
      if (restart) ctx.io.err(restartText(restart));
      ctx.io.err(
        buildSummary(
          result,
          started.map((s) => s.guest),
          relative(ctx.cwd, paths.cacheDir) || '.',
        ),
      );
    } else if (restart?.type === 'failed') ctx.io.err(restartText(restart));
    if (refused.length > 0 && !ctx.globals.quiet) ctx.io.err(refusedText(refused));
    if (interrupted) return ExitCode.interrupted;
    return failed || restart?.type === 'failed' || refused.length > 0
      ? ExitCode.error
      : ExitCode.ok;
  } finally {
    views.value.close();
    await backend?.close();
    await cache.close();
    lock.release();
  }
}

async function startGuests(
  ctx: CommandContext,
  project: Project,
  backend: Backend,
  plan: Plan,
  live: ReadonlyMap<string, GuestState>,
  result: ExecuteResult,
): Promise<Started[]> {
  // Guests this build touched may have been stopped (rollback); the others
  // are started only when they were not running already.
  const touched = new Set<string>();
  for (const [id, r] of result.runs) {
    if (r.outcome.type === 'built') touched.add(plan.byId.get(id)!.target.entry);
  }
  const built = new Set(
    plan.targets
      .map((p) => p.target.entry)
      .filter((e) => touched.has(e) || live.get(e)?.running !== true),
  );
  const guests = startOrder(
    project,
    [...project.guests.values()].filter((g) => built.has(String(g.id))),
  );
  const started: Started[] = [];
  for (const g of guests) {
    if (ctx.signal.aborted) break;
    // The status query and the start itself, for `--json`.
    const commands: string[][] = [];
    try {
      await backend.start(g, opFor(g, commands, ctx.signal));
      started.push({ guest: String(g.id), commands });
    } catch (e) {
      ctx.io.err(`phx: could not start ${g.id}: ${failureText(toFailure(e))}\n`);
    }
  }
  return started;
}

/** The key and folders the executor keeps input files' line digests with; none without a key. */
function linesOf(paths: Paths): { lines?: { key: SecretKey; roots: FileRoot[] } } {
  const key = loadSecretKey(paths.cacheDir);
  return key.ok ? { lines: { key: key.value, roots: fileRoots(paths) } } : {};
}
