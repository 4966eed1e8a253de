// `phx adopt ID…`: take over guests phx did not make (built by hand, by the
// bash Phoenix scripts, or by another workspace). The guest's description
// gets this workspace's owner mark, and what phx can check of its live state
// is recorded as built: settings without drift, and the layer chain as it
// stands, snapshotted once per layer with phx's description, so a host built
// by the bash scripts plans a no-op for what already matches. What does not
// match (drifted settings, a foreign template snapshot) is left to rebuild.
import { type Backend, type OpContext } from '../../backends/backend.ts';
import { describeFailure, OpError } from '../../core/failure.ts';
import { markedDescription, ownershipOf, workspaceId } from '../../engine/ownership.ts';
import { select } from '../../engine/pipeline.ts';
import { prepare } from '../prepare.ts';
import { planProject } from '../../engine/planning.ts';
import type { PlannedTarget } from '../../engine/planned-target.ts';
import {
  isPhxLayerSnapshot,
  layerSnapshotDescription,
  layerSnapshotName,
} from '../../../rules/snapshot-ownership.ts';
import type { Guest } from '../../model/model.ts';
import type { GuestId } from '../../core/ids.ts';
import { openCache } from '../../cache/cache.ts';
import { lockCacheFor } from '../cache-lock.ts';
import { ExitCode, type CommandContext } from '../context.ts';
import { chooseSource } from '../plan-source.ts';

export async function run(ctx: CommandContext, args: { ids: readonly string[] }): Promise<number> {
  const prepared = await prepare(ctx);
  if (!prepared.ok) return prepared.exitCode;
  const { paths, project } = prepared.value;
  for (const id of args.ids) {
    const g = project.guests.get(Number(id) as GuestId);
    if (!/^\d+$/.test(id) || !g || g.kind !== 'lxc') {
      ctx.io.err(`phx: ${id} is not a container id in the configs\n`);
      return ExitCode.usage;
    }
  }
  const lock = await lockCacheFor(ctx, paths.cacheDir);
  if (!lock.ok) return lock.exitCode;
  const cache = await openCache(paths.cacheDir);
  let backend: Backend | undefined;
  try {
    const source = await chooseSource(ctx, prepared.value, {});
    if (!source.ok) return source.exitCode;
    backend = source.backend!;
    const ws = workspaceId(paths.root);
    let failed = false;
    for (const id of args.ids) {
      const guest = project.guests.get(Number(id) as GuestId)!;
      const adopted = await adoptOne(ctx, backend, guest, ws, prepared.value, cache);
      if (!adopted) failed = true;
    }
    return failed ? ExitCode.error : ExitCode.ok;
  } catch (e) {
    if (!(e instanceof OpError)) throw e;
    ctx.io.err(`phx: adopt: ${describeFailure(e.failure)}\n`);
    return ExitCode.error;
  } finally {
    await backend?.close();
    await cache.close();
    lock.release();
  }
}

async function adoptOne(
  ctx: CommandContext,
  backend: Backend,
  guest: Guest,
  ws: string,
  prepared: Parameters<typeof select>[0],
  cache: Awaited<ReturnType<typeof openCache>>,
): Promise<boolean> {
  const entry = String(guest.id);
  const states = await backend.inspect([{ kind: 'lxc', id: guest.id }], ctx.signal, {
    settings: true,
  });
  const state = states.get(guest.id);
  const owner = ownershipOf(state, ws);
  if (owner.type === 'absent') {
    ctx.io.err(`phx: adopt ${entry}: no such guest on the host; \`phx build ${entry}\` makes it\n`);
    return false;
  }
  const commands: string[][] = [];
  const op: OpContext = {
    target: `lxc/${entry}/settings` as OpContext['target'],
    targetKind: 'settings',
    log: () => undefined,
    commands,
    signal: ctx.signal,
  };
  if (owner.type !== 'ours')
    await backend.setDescription(guest, markedDescription(state?.description ?? '', ws), op);
  // Plan the guest as it stands, then record what matches.
  const selection = select(prepared, [entry]);
  if (!selection.ok) throw new Error(selection.error);
  const { plan: whole, drift } = await planProject(
    prepared,
    selection.value,
    { type: 'live', backend },
    {
      force: false,
      signal: ctx.signal,
      cache,
    },
  );
  const plan = { targets: whole.targets.filter((p) => p.target.entry === entry) };
  const layers = plan.targets
    .filter((p) => p.target.layer !== undefined && p.action === 'build')
    .sort((a, b) => a.target.layer! - b.target.layer!);
  const recorded: string[] = [];
  const left: string[] = [];
  for (const p of layers) {
    const name = layerSnapshotName(p.fingerprint);
    const description = layerSnapshotDescription(p.fingerprint, p.target.id);
    await backend.snapshot(guest, name, description, op);
    await record(cache, p, name, backend.kind);
    recorded.push(p.target.id);
  }
  for (const p of plan.targets) {
    if (p.action !== 'build' || p.target.layer !== undefined) continue;
    if (p.target.kind === 'settings' && (drift.get(entry)?.length ?? 0) === 0) {
      await record(cache, p, '', backend.kind);
      recorded.push(p.target.id);
    } else if (p.target.kind === 'snapshot') {
      const name = p.target.snapshotName;
      const existing = state?.snapshots.find((s) => s.name === name);
      if (existing && !isPhxLayerSnapshot(existing)) {
        left.push(`${p.target.id} (snapshot '${existing.name}' is not phx's: remove or rename it)`);
        continue;
      }
      left.push(p.target.id);
    } else left.push(p.target.id);
  }
  ctx.io.err(
    `adopted ${entry}: marked as this workspace's; recorded ${recorded.length} target(s) as built` +
      (left.length > 0 ? `; to build: ${left.join(', ')}` : '') +
      '\n',
  );
  return true;
}

async function record(
  cache: Awaited<ReturnType<typeof openCache>>,
  p: PlannedTarget,
  output: string,
  backend: string,
): Promise<void> {
  await cache.putTarget(p.target.id, {
    fingerprint: p.fingerprint,
    data: p.json,
    output,
    entry: p.target.entry,
    kind: p.target.kind,
    backend,
    builtAt: Date.now(),
    durationMs: 0,
  });
}
