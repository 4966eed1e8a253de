// Which targets a graph shows: `--deps ID` (and bare IDS) what ID needs,
// `--rdeps ID` ID and everything built on it. The plan covers more than is
// shown: a target's fingerprint needs its producers' (src/engine/plan.ts).
import { select, type Prepared } from '../../engine/pipeline.ts';
import type { TargetId } from '../../core/target-id.ts';
import { err, ok, type Result } from '../../core/result.ts';

export interface GraphSelection {
  /** What the graph draws. */
  readonly shown: ReadonlySet<TargetId>;
  /** What must be planned to draw it: `shown` and everything it consumes. */
  readonly planned: ReadonlySet<TargetId>;
}

export interface SelectionFlags {
  readonly ids: readonly string[];
  readonly deps?: readonly string[];
  readonly rdeps?: readonly string[];
}

export function graphSelection(
  prepared: Prepared,
  flags: SelectionFlags,
): Result<GraphSelection, string> {
  const depIds = [...flags.ids, ...(flags.deps ?? [])];
  const rdepIds = flags.rdeps ?? [];
  const shown = new Set<TargetId>();
  if (depIds.length > 0 || rdepIds.length === 0) {
    const deps = select(prepared, depIds);
    if (!deps.ok) return err(deps.error);
    for (const id of deps.value) shown.add(id);
  }
  for (const raw of rdepIds) {
    const roots = rootsOf(prepared, raw);
    if (!roots.ok) return roots;
    for (const id of dependents(prepared, roots.value)) shown.add(id);
  }
  const planned = select(prepared, [...shown]);
  if (!planned.ok) return err(planned.error);
  return ok({ shown, planned: planned.value });
}

/** The targets an id names: all of a guest's for a CTID/VMID, or the one target. */
function rootsOf(prepared: Prepared, raw: string): Result<TargetId[], string> {
  // select() checks the id and words the error as every command does.
  const checked = select(prepared, [raw]);
  if (!checked.ok) return err(checked.error);
  const targets = [...prepared.graph.targets.values()];
  return ok(
    /^\d+$/.test(raw) ? targets.filter((t) => t.entry === raw).map((t) => t.id) : [raw as TargetId],
  );
}

/** The roots and every target that consumes them, directly or further down. */
function dependents(prepared: Prepared, roots: readonly TargetId[]): Set<TargetId> {
  const out = new Set<TargetId>();
  const stack = [...roots];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    for (const e of prepared.graph.consumers.get(id) ?? []) stack.push(e.to);
  }
  return out;
}
