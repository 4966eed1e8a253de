// `phx cache ls|export FILE|-|verify|rebuild|gc`: look after the records.
import { readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tryOpenCache } from '../cache/cache.ts';
import { type Cache } from '../cache/cache-api.ts';
import { setAsideDataFile } from '../cache/cache-health.ts';
import { describeCacheProblem, describeDamage, type CacheProblem } from '../cache/cache-problem.ts';
import type { Result } from '../core/result.ts';
import { lockCacheFor } from './cache-lock.ts';
import type { StateExport, TargetRecord } from '../cache/records.ts';
import { createBackend } from './backend-choice.ts';
import type { Backend } from '../backends/backend.ts';
import { type Prepared } from '../engine/pipeline.ts';
import { prepare } from './prepare.ts';
import { inspectGuests } from '../engine/planning.ts';
import { hostEntry } from '../core/target-id.ts';
import { recordsFromSnapshots } from '../engine/derive-records.ts';
import { ExitCode, type CommandContext } from './context.ts';

export type CacheArgs =
  | { readonly action: 'ls' }
  | { readonly action: 'export'; readonly file: string }
  | { readonly action: 'verify' }
  | { readonly action: 'rebuild' }
  | { readonly action: 'gc' };

export async function run(ctx: CommandContext, args: CacheArgs): Promise<number> {
  const prepared = await prepare(ctx);
  if (!prepared.ok) return prepared.exitCode;
  const { cacheDir } = prepared.value.paths;
  // gc and rebuild write the cache: under the lock, so no build is running
  // (gc would delete the log a running target is writing).
  const mutates = args.action === 'gc' || args.action === 'rebuild';
  const lock = mutates ? await lockCacheFor(ctx, cacheDir) : undefined;
  if (lock && !lock.ok) return lock.exitCode;
  try {
    const opened =
      args.action === 'rebuild'
        ? await openForRebuild(ctx, cacheDir)
        : await tryOpenCache(cacheDir);
    if (!opened.ok) {
      ctx.io.err(`phx: ${describeCacheProblem(opened.error)}\n`);
      return ExitCode.error;
    }
    return await runOn(ctx, args, prepared.value, opened.value);
  } finally {
    lock?.release();
  }
}

/**
 * The cache `rebuild` writes into: the existing one when it opens, else a new
 * one, after moving the damaged data file aside (kept, never deleted).
 */
async function openForRebuild(
  ctx: CommandContext,
  cacheDir: string,
): Promise<Result<Cache, CacheProblem>> {
  const opened = await tryOpenCache(cacheDir);
  if (opened.ok || opened.error.type !== 'damaged') return opened;
  const moved = setAsideDataFile(cacheDir);
  ctx.io.err(
    `phx: ${moved.from} was damaged (${describeDamage(opened.error.damage)}); ` +
      `moved it to ${moved.to} (delete it when you no longer need it) and starting a new one\n`,
  );
  return tryOpenCache(cacheDir);
}

async function runOn(
  ctx: CommandContext,
  args: CacheArgs,
  prepared: Prepared,
  cache: Cache,
): Promise<number> {
  let backend: Backend | undefined;
  try {
    const needsHost = args.action !== 'ls' && args.action !== 'gc';
    if (needsHost) {
      const chosen = await createBackend(ctx, prepared.buildFile);
      if (!chosen.ok) {
        ctx.io.err(`phx: ${chosen.error}\n`);
        return ExitCode.error;
      }
      backend = chosen.value;
    }
    switch (args.action) {
      case 'ls':
        return list(ctx, cache);
      case 'export':
        return await exportState(ctx, prepared, cache, backend!, args.file);
      case 'verify':
        return await verify(ctx, prepared, cache, backend!);
      case 'rebuild':
        return await rebuild(ctx, prepared, cache, backend!);
      case 'gc':
        return await gc(ctx, prepared, cache);
      default:
        return unreachable(args);
    }
  } finally {
    await backend?.close();
    await cache.close();
  }
}

function list(ctx: CommandContext, cache: Cache): number {
  const rows = [...cache.allTargets()];
  if (ctx.globals.json) {
    ctx.io.out(
      JSON.stringify(
        { version: 1, targets: Object.fromEntries(rows.map(([id, r]) => [id, publicRecord(r)])) },
        null,
        2,
      ) + '\n',
    );
    return ExitCode.ok;
  }
  for (const [id, r] of rows) {
    ctx.io.out(
      `${id}  ${r.fingerprint}  ${r.output || '-'}  ${new Date(r.builtAt).toISOString()}  ${r.durationMs}ms\n`,
    );
  }
  ctx.io.out(`${rows.length} records\n`);
  return ExitCode.ok;
}

function publicRecord(r: TargetRecord): Omit<TargetRecord, 'data'> & { data: unknown } {
  return { ...r, data: r.data ? (JSON.parse(r.data) as unknown) : null };
}

async function liveOutputs(ctx: CommandContext, prepared: Prepared, backend: Backend) {
  // Every guest phx builds, VMs included: a VM's layers are its snapshots too.
  const guests = [...prepared.project.guests.values()];
  return inspectGuests(backend, guests, ctx.signal);
}

async function exportState(
  ctx: CommandContext,
  prepared: Prepared,
  cache: Cache,
  backend: Backend,
  file: string,
): Promise<number> {
  const live = await liveOutputs(ctx, prepared, backend);
  const state: StateExport = {
    version: 1,
    exportedAt: new Date().toISOString(),
    targets: Object.fromEntries(cache.allTargets()),
    outputs: Object.fromEntries(
      [...live].filter(([, s]) => s.exists).map(([entry, s]) => [entry, s.snapshots]),
    ),
  };
  const text = JSON.stringify(state, null, 2) + '\n';
  // `-` is stdout, as for --events: `phx cache export - | ssh ci 'cat > state.json'`.
  if (file === '-') ctx.io.out(text);
  else writeFileSync(file, text);
  ctx.io.err(
    `exported ${Object.keys(state.targets).length} records and ${Object.keys(state.outputs).length} guests to ${file === '-' ? 'stdout' : file}\n`,
  );
  return ExitCode.ok;
}

async function verify(
  ctx: CommandContext,
  prepared: Prepared,
  cache: Cache,
  backend: Backend,
): Promise<number> {
  const live = await liveOutputs(ctx, prepared, backend);
  const gone: string[] = [];
  for (const [id, r] of cache.allTargets()) {
    // The host's targets: a live plan reads them back (engine/host-presence.ts); verify does not yet.
    if (r.entry === hostEntry) continue;
    const state = live.get(r.entry);
    const exists =
      state?.exists === true &&
      (r.output === '' || state.snapshots.some((s) => s.name === r.output));
    if (!exists) gone.push(`${id}: output ${r.output || `guest ${r.entry}`} is gone`);
  }
  for (const line of gone) ctx.io.out(line + '\n');
  ctx.io.err(
    gone.length === 0 ? 'every record has its output\n' : `${gone.length} records without output\n`,
  );
  return gone.length === 0 ? ExitCode.ok : ExitCode.error;
}

/** Re-derive records from the `phx:<fingerprint> <target>` snapshot descriptions on the host. */
async function rebuild(
  ctx: CommandContext,
  prepared: Prepared,
  cache: Cache,
  backend: Backend,
): Promise<number> {
  const live = await liveOutputs(ctx, prepared, backend);
  let count = 0;
  for (const [entry, state] of live) {
    for (const [id, r] of recordsFromSnapshots(entry, state.snapshots, backend.kind)) {
      await cache.putTarget(id, {
        ...r,
        builtAt: Date.now(),
        durationMs: cache.getDuration(id) ?? 0,
      });
      count++;
    }
  }
  ctx.io.err(
    `rebuilt ${count} records from snapshot descriptions (settings, firewall and checks have no snapshot: they re-apply on the next build)\n`,
  );
  return ExitCode.ok;
}

async function gc(ctx: CommandContext, prepared: Prepared, cache: Cache): Promise<number> {
  const known = new Set<string>(prepared.graph.targets.keys());
  const stale = [...cache.allTargets()].filter(([id]) => !known.has(id)).map(([id]) => id);
  await cache.removeTargets(stale);
  let logs = 0;
  const logRoot = join(cache.dir, 'logs');
  for (const [id, r] of cache.allTargets()) {
    const dir = join(logRoot, id);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) {
      if (f !== `${r.fingerprint}.log`) {
        rmSync(join(dir, f), { force: true });
        logs++;
      }
    }
  }
  for (const id of stale) rmSync(join(logRoot, id), { recursive: true, force: true });
  ctx.io.err(
    `dropped ${stale.length} records of targets that no longer exist and ${logs} old logs\n`,
  );
  return ExitCode.ok;
}

function unreachable(x: never): never {
  throw new Error(`unhandled cache action ${JSON.stringify(x)}`);
}
