// How a plan is printed, from plain rows: the full planner and the no-op
// fast path print exactly the same text and JSON (DESIGN §6).
import type { Plan } from '../engine/plan.ts';
import { describeReason, type Reason } from '../engine/reason.ts';
import { refusalText } from '../engine/guard.ts';

export interface PlanRow {
  readonly id: string;
  readonly entry: string;
  readonly kind: string;
  readonly hash: string;
  readonly action: 'build' | 'skip';
  readonly reasons: readonly Reason[];
  /** What building it destroys or discards (`rootfs`, `snapshot:<name>`, `changes since <snapshot>`). */
  readonly destroys?: readonly string[];
  /** Why it will not build although it would: a foreign guest, no consent, or built on those. */
  readonly refused?: string;
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
      ...(plan.destroys.has(p.target.id) ? { destroys: plan.destroys.get(p.target.id)! } : {}),
      ...(plan.refused.has(p.target.id)
        ? { refused: refusalText(plan.refused.get(p.target.id)!) }
        : {}),
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
  const told = new Set<string>();
  const width = Math.max(0, ...view.rows.map((r) => r.id.length));
  for (const r of view.rows) {
    if (r.action === 'skip' && !verbose) continue;
    const why = r.reasons.map(describeReason).join('; ');
    lines.push(`${marker(r)} ${r.id.padEnd(width)}  ${r.action}${why ? `  (${why})` : ''}`);
    if (r.destroys) lines.push(`      destroys: ${r.destroys.join(', ')}`);
    if (r.refused !== undefined) {
      // One guest's refusal applies to all its targets: said once.
      lines.push(`      refused: ${told.has(r.refused) ? '(as above)' : r.refused}`);
      told.add(r.refused);
    }
  }
  lines.push(...unbuiltNote(view));
  const { build, skip } = counts(view);
  const refused = view.rows.filter((r) => r.refused !== undefined).length;
  const destroying = view.rows.filter((r) => r.destroys !== undefined && !r.refused).length;
  if (destroying > 0)
    lines.push(`${destroying} target(s) destroy or discard state (marked -/+ or ~).`);
  if (refused > 0)
    lines.push(`${refused} target(s) refused (marked !): a build skips them and exits 1.`);
  lines.push(
    build === 0
      ? `Nothing to build: ${skip} targets up to date.`
      : `Plan: ${build} to build, ${skip} up to date.`,
  );
  return lines.join('\n') + '\n';
}

/**
 * Terraform's marks: `+` builds, `-/+` destroys and re-creates a guest, `~`
 * rolls one back over newer state, `!` would build but is refused.
 */
function marker(r: PlanRow): string {
  if (r.action !== 'build') return '  ';
  if (r.refused !== undefined) return '! ';
  if (r.destroys === undefined) return '+ ';
  return r.destroys.includes('rootfs') ? '-/+' : '~ ';
}

export function unbuiltNote(view: PlanView): string[] {
  if (view.unbuilt.length === 0) return [];
  const ids = view.unbuilt.map((g) => g.id).join(', ');
  return [`VMs ${ids}: not built by this version (validated, and ordered at start only).`];
}

export function hasChanges(view: PlanView): boolean {
  return view.rows.some((r) => r.action === 'build');
}
