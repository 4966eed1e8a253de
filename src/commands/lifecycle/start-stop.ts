// `phx start|stop|restart [ID…|--all]`. start brings up the named guests and
// their dependencies, dependencies first; stop takes down the named guests
// and their dependents, dependents first; restart stops that set and starts
// it again (dependents only if they were running). `--all` starts the
// start_at_boot guests in boot_order without templates (as `build --all`
// does) and stops every guest. Containers and VMs alike: a VM's
// `dependencies` (1002 on 1001 on container 102) order it among them.
import type { Backend } from '../../backends/backend.ts';
import type { Prepared } from '../../engine/pipeline.ts';
import { inspectGuests } from '../../engine/planning.ts';
import { startOrder } from '../../engine/start-order.ts';
import type { Guest } from '../../model/model.ts';
import { lockCacheFor } from '../cache-lock.ts';
import { ExitCode, type CommandContext } from '../context.ts';
import { failureText, guestsByIds, lifecycleOp, withBackend } from './common.ts';
import { dependenciesFirst, startPlan, stopPlan } from './order.ts';

export type PowerVerb = 'start' | 'stop' | 'restart';

export interface PowerArgs {
  readonly verb: PowerVerb;
  readonly ids: readonly string[];
  readonly all?: boolean;
}

export async function run(ctx: CommandContext, args: PowerArgs): Promise<number> {
  if (args.ids.length === 0 && !args.all) {
    ctx.io.err(`phx: ${args.verb}: name the guests (CTIDs) or use --all\n`);
    return ExitCode.usage;
  }
  if (args.ids.length > 0 && args.all) {
    ctx.io.err(`phx: ${args.verb}: give either ids or --all, not both\n`);
    return ExitCode.usage;
  }
  return withBackend(ctx, async (prepared, backend) => {
    const { project } = prepared;
    let roots: Guest[];
    if (args.all) roots = [...project.guests.values()];
    else {
      const found = guestsByIds(project, args.ids);
      if (!found.ok) {
        ctx.io.err(`phx: ${found.error}\n`);
        return ExitCode.usage;
      }
      roots = found.value;
    }
    // The host is written: no build may start or stop guests under us (DESIGN §6, one phx per cache).
    const lock = await lockCacheFor(ctx, prepared.paths.cacheDir);
    if (!lock.ok) return lock.exitCode;
    try {
      return await power(ctx, args, roots, project, backend);
    } finally {
      lock.release();
    }
  });
}

/** What the verb does once the lock is held: one look at the guests, then stop and/or start in order. */
async function power(
  ctx: CommandContext,
  args: PowerArgs,
  roots: readonly Guest[],
  project: Prepared['project'],
  backend: Backend,
): Promise<number> {
  const toStart = args.all ? startOrder(project, roots) : startPlan(project, roots);
  const toStop = args.all
    ? dependenciesFirst(project, new Set(roots)).reverse()
    : stopPlan(project, roots);
  // One query per guest up front: what runs now decides what restart brings back and what to report.
  const live = await inspectGuests(backend, [...new Set([...toStart, ...toStop])], ctx.signal);
  const running = new Set([...toStart, ...toStop].filter((g) => live.get(String(g.id))?.running));
  const missing = new Set(
    [...toStart, ...toStop].filter((g) => live.get(String(g.id))?.exists === false),
  );
  const absent = args.verb === 'stop' ? [] : toStart.filter((g) => missing.has(g));
  if (absent.length > 0) {
    // Refuse before starting anything: a half-started chain is worse than none.
    const ids = absent.map((g) => g.id).join(' ');
    ctx.io.err(
      `phx: cannot ${args.verb}: ${ids} not on the host yet (phx build ${ids} creates ${absent.length > 1 ? 'them' : 'it'})\n`,
    );
    return ExitCode.error;
  }
  let failed = false;
  if (args.verb === 'stop')
    failed = await apply(
      ctx,
      backend,
      'stop',
      toStop.filter((g) => !missing.has(g)),
      roots,
      running,
    );
  else if (args.verb === 'start')
    failed = await apply(ctx, backend, 'start', toStart, roots, running);
  else {
    // Restart brings back what was asked for (and its dependencies) plus the dependents that ran before.
    const stopped = toStop.filter((g) => running.has(g));
    failed = await apply(ctx, backend, 'stop', stopped, roots, running);
    if (!failed) {
      const order = dependenciesFirst(project, new Set([...toStart, ...stopped]));
      const stillRunning = new Set([...running].filter((g) => !stopped.includes(g)));
      failed = await apply(ctx, backend, 'start', order, roots, stillRunning, new Set(stopped));
    }
  }
  if (ctx.signal.aborted) return ExitCode.interrupted;
  return failed ? ExitCode.error : ExitCode.ok;
}

/** Run one verb over `guests` in order; stop at the first failure (later guests may need this one). */
async function apply(
  ctx: CommandContext,
  backend: Backend,
  verb: 'start' | 'stop',
  guests: readonly Guest[],
  asked: readonly Guest[],
  running: ReadonlySet<Guest>,
  /** Restart only: dependents stopped earlier that come back now. */
  dependents: ReadonlySet<Guest> = new Set(),
): Promise<boolean> {
  for (const g of guests) {
    if (ctx.signal.aborted) return true;
    try {
      const already = verb === 'start' ? running.has(g) : !running.has(g);
      await backend[verb](g, lifecycleOp(ctx, g));
      if (!ctx.globals.quiet) {
        const why = asked.includes(g)
          ? ''
          : verb === 'start' && !dependents.has(g)
            ? ' (dependency)'
            : ' (dependent)';
        const done =
          verb === 'start'
            ? already
              ? 'already running'
              : 'started'
            : already
              ? 'already stopped'
              : 'stopped';
        ctx.io.out(`${done} ${g.id} ${g.name}${why}\n`);
      }
    } catch (e) {
      ctx.io.err(`phx: could not ${verb} ${g.id}: ${failureText(e)}\n`);
      return true;
    }
  }
  return false;
}
