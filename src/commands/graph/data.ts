// What every graph format draws: the planned targets with their status, the
// build edges between them, one cluster per guest, and the start order. The
// formats (dot.ts, mermaid.ts, html.ts) only render this; none re-plans.
import type { Plan } from '../../engine/plan.ts';
import type { PlannedTarget } from '../../engine/planned-target.ts';
import type { EdgeKind } from '../../../targets/target.ts';
import type { Project } from '../../model/model.ts';
import type { GuestId } from '../../core/ids.ts';
import { describeReason } from '../../engine/reason.ts';
import { display } from '../../engine/secrets.ts';
import { startOrder } from '../../engine/start-order.ts';

/** Build: a build would run it; skip: up to date; failed: its last build at this fingerprint failed. */
export type Status = 'build' | 'skip' | 'failed';

/** The fingerprint's inputs as a person reads them: secrets shown as `***`, never their digest. */
export interface NodeInputs {
  readonly rule: { readonly kind: string; readonly digest: string };
  readonly config: Readonly<Record<string, unknown>>;
  readonly files: Readonly<Record<string, string>>;
  readonly upstream: Readonly<Record<string, string>>;
  readonly backend: string;
}

export interface GraphNode {
  readonly id: string;
  readonly entry: string;
  readonly kind: string;
  /** The fingerprint (kept as `hash` for scripts written against the first JSON format). */
  readonly hash: string;
  readonly status: Status;
  /** Why it would rebuild, as `phx plan` words it; empty when up to date. */
  readonly reasons: readonly string[];
  readonly inputs: NodeInputs;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
}

/** One guest: its targets are drawn together under "id name". */
export interface GraphCluster {
  readonly entry: string;
  readonly name: string;
  readonly guestKind: string;
}

/** Guest `from` is started before guest `to` (src/engine/start-order.ts); never a build edge. */
export interface StartEdge {
  readonly from: string;
  readonly to: string;
}

export interface GraphData {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly clusters: readonly GraphCluster[];
  readonly startOrder: readonly StartEdge[];
}

/**
 * The graph of the targets in `shown`, taken from a plan of (at least) those
 * targets; `failed` says which failed at their current fingerprint.
 */
export function graphData(
  project: Project,
  plan: Plan,
  shown: ReadonlySet<string>,
  failed: (id: string) => boolean,
): GraphData {
  const planned = plan.targets.filter((p) => shown.has(p.target.id));
  const entries = [...new Set(planned.map((p) => p.target.entry))];
  const guests = entries
    .map((e) => project.guests.get(Number(e) as GuestId))
    .filter((g) => g !== undefined);
  const started = startOrder(project, guests).map((g) => String(g.id));
  return {
    nodes: planned.map((p) => node(p, failed(p.target.id))),
    edges: planned.flatMap((p) =>
      p.target.deps
        .filter((e) => shown.has(e.from))
        .map((e) => ({ from: e.from, to: e.to, kind: e.kind })),
    ),
    clusters: [
      // The host's targets (issue 10: pools, datasets, storage ids) are drawn as one more cluster.
      ...(entries.includes('host')
        ? [{ entry: 'host', name: 'Proxmox node', guestKind: 'host' }]
        : []),
      ...guests.map((g) => ({ entry: String(g.id), name: g.name, guestKind: g.kind })),
    ],
    // Consecutive pairs of the order `phx build` starts them in.
    startOrder: started.slice(1).map((to, i) => ({ from: started[i]!, to })),
  };
}

function node(p: PlannedTarget, failed: boolean): GraphNode {
  return {
    id: p.target.id,
    entry: p.target.entry,
    kind: p.target.kind,
    hash: p.fingerprint,
    status: failed ? 'failed' : p.action,
    reasons: p.reasons.map(describeReason),
    inputs: {
      rule: p.data.rule,
      config: display(p.data.config) as Record<string, unknown>,
      files: p.data.files,
      upstream: p.data.upstream,
      backend: p.data.backend,
    },
  };
}
