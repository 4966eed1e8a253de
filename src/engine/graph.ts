// The target graph: ids → targets, producer → consumer edges, a stable
// topological order, and the closure of a selection over build edges.
import type { Edge, Target } from '../../targets/target.ts';
import type { TargetId } from '../core/target-id.ts';

export interface TargetGraph {
  readonly targets: ReadonlyMap<TargetId, Target>;
  /** Topological order: every producer before its consumers; ties by id. */
  readonly order: readonly Target[];
  readonly consumers: ReadonlyMap<TargetId, readonly Edge[]>;
}

export type GraphError =
  | { readonly type: 'missing-producer'; readonly edge: Edge }
  | { readonly type: 'cycle'; readonly cycle: readonly TargetId[] };

export function buildGraph(
  targets: readonly Target[],
): { ok: true; value: TargetGraph } | { ok: false; error: GraphError } {
  const byId = new Map<TargetId, Target>();
  for (const t of targets) byId.set(t.id, t);
  const consumers = new Map<TargetId, Edge[]>();
  const indegree = new Map<TargetId, number>();
  for (const t of targets) {
    indegree.set(t.id, t.deps.length);
    for (const e of t.deps) {
      if (!byId.has(e.from)) return { ok: false, error: { type: 'missing-producer', edge: e } };
      let list = consumers.get(e.from);
      if (!list) consumers.set(e.from, (list = []));
      list.push(e);
    }
  }
  // Kahn's algorithm, iterative (graphlib's topsort recurses and overflows on long chains).
  const ready = targets
    .filter((t) => t.deps.length === 0)
    .map((t) => t.id)
    .sort()
    .reverse();
  const order: Target[] = [];
  while (ready.length > 0) {
    const id = ready.pop()!;
    order.push(byId.get(id)!);
    const next: TargetId[] = [];
    for (const e of consumers.get(id) ?? []) {
      const left = indegree.get(e.to)! - 1;
      indegree.set(e.to, left);
      if (left === 0) next.push(e.to);
    }
    // Consumers come in a fixed order (expansion order), so the order stays
    // deterministic without re-sorting the ready list at every step.
    for (let i = next.length - 1; i >= 0; i--) ready.push(next[i]!);
  }
  if (order.length !== targets.length) {
    return { ok: false, error: { type: 'cycle', cycle: findCycle(byId, indegree) } };
  }
  // The host's targets first (a plan lists them before the guests), except
  // those that wait for a guest's (the host's trust of the CA an app
  // publishes): a host target joins the first group only when all it needs
  // is there, so this stable split keeps the order topological.
  const first = new Set<string>();
  for (const t of order)
    if (t.entry === 'host' && t.deps.every((e) => first.has(e.from))) first.add(t.id);
  const hostFirst = [
    ...order.filter((t) => first.has(t.id)),
    ...order.filter((t) => !first.has(t.id)),
  ];
  return { ok: true, value: { targets: byId, order: hostFirst, consumers } };
}

function findCycle(
  byId: ReadonlyMap<TargetId, Target>,
  indegree: ReadonlyMap<TargetId, number>,
): TargetId[] {
  // Walk producers from any node left with indegree > 0 until one repeats.
  const start = [...indegree].find(([, d]) => d > 0)![0];
  const seen = new Map<TargetId, number>();
  const path: TargetId[] = [];
  let cur: TargetId | undefined = start;
  while (cur !== undefined && !seen.has(cur)) {
    seen.set(cur, path.length);
    path.push(cur);
    cur = byId.get(cur)!.deps.find((e) => (indegree.get(e.from) ?? 0) > 0)?.from;
  }
  return cur === undefined ? path : path.slice(seen.get(cur)).reverse();
}

/** The selected targets and everything they need (all edges; `order` edges are not in deps). */
export function closure(graph: TargetGraph, roots: Iterable<TargetId>): Set<TargetId> {
  const out = new Set<TargetId>();
  const stack = [...roots];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    for (const e of graph.targets.get(id)?.deps ?? []) stack.push(e.from);
  }
  return out;
}
