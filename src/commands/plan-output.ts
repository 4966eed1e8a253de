// How a plan is printed, from plain rows: the full planner and the no-op
// fast path print exactly the same text and JSON (DESIGN §6).
import type { Plan } from '../engine/plan.ts';
import { describeReason, type Reason } from '../engine/reason.ts';

export interface PlanRow {
  readonly id: string;
  readonly entry: string;
  readonly kind: string;
  readonly hash: string;
  readonly action: 'build' | 'skip';
  readonly reasons: readonly Reason[];
}

export interface PlanView {
  readonly rows: readonly PlanRow[];
  /** Guests this version does not build: `vm/9000`. */
  readonly unbuilt: readonly { readonly kind: string; readonly id: number }[];
}

export function viewOf(plan: Plan): PlanView {
  return {
    rows: plan.targets.map((p) => ({
      id: p.target.id,
      entry: p.target.entry,
      kind: p.target.kind,
      hash: p.fingerprint,
      action: p.action,
      reasons: p.reasons,
    })),
    unbuilt: plan.unbuilt.map((g) => ({ kind: g.kind, id: g.id })),
  };
}

function counts(view: PlanView): { build: number; skip: number } {
  const build = view.rows.filter((r) => r.action === 'build').length;
  return { build, skip: view.rows.length - build };
}

export function planJson(view: PlanView): Record<string, unknown> {
  return {
    version: 1,
    targets: view.rows,
    summary: counts(view),
    ...(view.unbuilt.length > 0 ? { not_built: view.unbuilt.map((g) => `${g.kind}/${g.id}`) } : {}),
  };
}

export function planText(view: PlanView, verbose: boolean): string {
  const lines: string[] = [];
  const width = Math.max(0, ...view.rows.map((r) => r.id.length));
  for (const r of view.rows) {
    if (r.action === 'skip' && !verbose) continue;
    const why = r.reasons.map(describeReason).join('; ');
    lines.push(
      `${r.action === 'build' ? '+' : ' '} ${r.id.padEnd(width)}  ${r.action}${why ? `  (${why})` : ''}`,
    );
  }
  lines.push(...unbuiltNote(view));
  const { build, skip } = counts(view);
  lines.push(
    build === 0
      ? `Nothing to build: ${skip} targets up to date.`
      : `Plan: ${build} to build, ${skip} up to date.`,
  );
  return lines.join('\n') + '\n';
}

export function unbuiltNote(view: PlanView): string[] {
  if (view.unbuilt.length === 0) return [];
  const ids = view.unbuilt.map((g) => g.id).join(', ');
  return [`VMs ${ids}: not built by this version (validated, and ordered at start only).`];
}

export function hasChanges(view: PlanView): boolean {
  return view.rows.some((r) => r.action === 'build');
}
