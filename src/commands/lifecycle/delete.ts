// `phx delete ID [--force]`: stop and destroy one guest and drop its build
// records, so the next build creates it afresh. Refused while clones of it
// that the configs declare exist on the host (their clone targets were built
// from its snapshot; deleting it means rebuilding them from scratch later),
// unless --force.
import { lockCacheFor } from '../cache-lock.ts';
import { openCache } from '../../cache/cache.ts';
import type { Backend } from '../../backends/backend.ts';
import { inspectGuests } from '../../engine/planning.ts';
import type { Guest, Project } from '../../model/model.ts';
import { ExitCode, type CommandContext } from '../context.ts';
import { guestsByIds, lifecycleOp, withBackend } from './common.ts';

export interface DeleteArgs {
  readonly id: string;
  readonly force?: boolean;
}

export async function run(ctx: CommandContext, args: DeleteArgs): Promise<number> {
  return withBackend(ctx, async (prepared, backend) => {
    const { project, paths } = prepared;
    const found = guestsByIds(project, [args.id]);
    if (!found.ok) {
      ctx.io.err(`phx: ${found.error}\n`);
      return ExitCode.usage;
    }
    const guest = found.value[0]!;
    // Taken before the look at the host, so no build creates a clone between the refusal check and the destroy.
    const lock = await lockCacheFor(ctx, paths.cacheDir);
    if (!lock.ok) return lock.exitCode;
    try {
      return await remove(ctx, args, guest, project, paths.cacheDir, backend);
    } finally {
      lock.release();
    }
  });
}

/** Refuse while declared clones exist (unless --force), destroy, then forget the records; the lock is held. */
async function remove(
  ctx: CommandContext,
  args: DeleteArgs,
  guest: Guest,
  project: Project,
  cacheDir: string,
  backend: Backend,
): Promise<number> {
  const clones = [...project.guests.values()].filter((g) => g.cloneFrom === guest.id);
  const live = await inspectGuests(backend, [guest, ...clones], ctx.signal);
  const liveClones = clones.filter((c) => live.get(String(c.id))?.exists === true);
  if (liveClones.length > 0 && !args.force) {
    const list = liveClones.map((c) => `${c.id} (${c.name})`).join(', ');
    ctx.io.err(
      `phx: refusing to delete ${guest.id}: ${liveClones.length > 1 ? 'its clones' : 'its clone'} ${list} ` +
        `${liveClones.length > 1 ? 'exist' : 'exists'} on the host; delete ${liveClones.length > 1 ? 'them' : 'it'} first, or use --force\n`,
    );
    return ExitCode.error;
  }
  const cache = await openCache(cacheDir);
  try {
    const existed = live.get(String(guest.id))?.exists === true;
    // destroy stops a running guest first and is a no-op for a missing one.
    await backend.destroy(guest, lifecycleOp(ctx, guest, 'create'));
    // Records go only after the guest is gone: a failed destroy leaves them telling the truth.
    const entry = String(guest.id);
    const ids = [...cache.allTargets()].filter(([, r]) => r.entry === entry).map(([id]) => id);
    await cache.removeTargets(ids);
    if (!ctx.globals.quiet) {
      ctx.io.out(
        `${existed ? 'deleted' : 'not on the host:'} ${guest.id} ${guest.name}; forgot ${ids.length} build record(s)` +
          `${liveClones.length > 0 ? ` (clones left on the host: ${liveClones.map((c) => c.id).join(', ')})` : ''}\n`,
      );
    }
    return ExitCode.ok;
  } finally {
    await cache.close();
  }
}
