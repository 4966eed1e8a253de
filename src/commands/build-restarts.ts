// After a build: guests whose settings changed while they ran and that take
// some of them only at their next start (a GPU's device lines, a changed
// mount point) are restarted, with every guest depending on them stopped
// first and started again after, so none runs without its dependencies
// (DESIGN §2 `order`). With --no-restart they are left running and
// reported as "restart pending", which `phx status` shows too.
import type { Backend, OpContext } from '../backends/backend.ts';
import { describeFailure, OpError } from '../core/failure.ts';
import type { ExecuteResult } from '../engine/execute.ts';
import type { Plan } from '../engine/plan.ts';
import { guestTargetId } from '../core/target-id.ts';
import type { Guest, Project } from '../model/model.ts';
import { stopPlan } from './lifecycle/order.ts';

export type RestartOutcome =
  | {
      readonly type: 'restarted';
      /** Guest id → the settings that waited for the restart. */
      readonly pending: Readonly<Record<string, readonly string[]>>;
      /** Every guest stopped and started again, in stop order (dependants first). */
      readonly cycled: readonly string[];
      readonly commands: readonly string[][];
    }
  | {
      readonly type: 'pending';
      readonly pending: Readonly<Record<string, readonly string[]>>;
      readonly reason: 'no-restart';
    }
  | {
      readonly type: 'failed';
      readonly pending: Readonly<Record<string, readonly string[]>>;
      readonly commands: readonly string[][];
      readonly error: string;
    };

export function opFor(g: Guest, commands: string[][], signal: AbortSignal): OpContext {
  return {
    target: guestTargetId('lxc', g.id, 'settings'),
    targetKind: 'settings',
    log: () => undefined,
    commands,
    signal,
  };
}

/** Guests whose `settings` target built in this run, and no target of theirs failed. */
function settingsChanged(project: Project, plan: Plan, result: ExecuteResult): Guest[] {
  const failed = new Set<string>();
  const changed = new Set<string>();
  for (const [id, r] of result.runs) {
    const t = plan.byId.get(id)!.target;
    if (r.outcome.type === 'failed' || r.outcome.type === 'cancelled') failed.add(t.entry);
    if (t.kind === 'settings' && r.outcome.type === 'built') changed.add(t.entry);
  }
  return [...project.guests.values()].filter(
    (g) => g.kind === 'lxc' && changed.has(String(g.id)) && !failed.has(String(g.id)),
  );
}

export async function restartChanged(opts: {
  readonly project: Project;
  readonly backend: Backend;
  readonly plan: Plan;
  readonly result: ExecuteResult;
  readonly restart: boolean;
  readonly signal: AbortSignal;
}): Promise<RestartOutcome | undefined> {
  const { project, backend, signal } = opts;
  const pending: Record<string, readonly string[]> = {};
  const roots: Guest[] = [];
  for (const g of settingsChanged(project, opts.plan, opts.result)) {
    const keys = (await backend.restartPending?.(g, signal)) ?? [];
    if (keys.length === 0) continue;
    pending[String(g.id)] = keys;
    roots.push(g);
  }
  if (roots.length === 0) return undefined;
  if (!opts.restart) return { type: 'pending', pending, reason: 'no-restart' };
  const order = stopPlan(project, roots).filter((g) => g.kind === 'lxc');
  const live = await backend.inspect(
    order.map((g) => ({ kind: g.kind, id: g.id })),
    signal,
  );
  const cycled = order.filter((g) => live.get(g.id)?.running === true);
  const commands: string[][] = [];
  try {
    for (const g of cycled) await backend.stop(g, opFor(g, commands, signal));
    for (const g of [...cycled].reverse()) await backend.start(g, opFor(g, commands, signal));
  } catch (e) {
    const error = e instanceof OpError ? describeFailure(e.failure) : String(e);
    return { type: 'failed', pending, commands, error };
  }
  return { type: 'restarted', pending, cycled: cycled.map((g) => String(g.id)), commands };
}

export function restartText(o: RestartOutcome): string {
  const list = Object.entries(o.pending)
    .map(([id, keys]) => `${id} (${keys.join(', ')})`)
    .join(', ');
  switch (o.type) {
    case 'restarted':
      return `restarted for settings taken only at start: ${list}; stopped and started again: ${o.cycled.join(', ')}\n`;
    case 'pending':
      return `restart pending (--no-restart): ${list}\n`;
    case 'failed':
      return `phx: restart for settings taken only at start failed: ${list}: ${o.error}\n`;
  }
}
