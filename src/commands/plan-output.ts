// How a plan is printed, from plain rows: the full planner and the no-op
// fast path print exactly the same text and JSON (DESIGN §6).
import { changeLines, describeReason } from '../engine/reason.ts';
import type { PlanRow, PlanView } from '../engine/plan-view.ts';

function counts(view: PlanView): { build: number; skip: number } {
  const build = view.rows.filter((r) => r.action === 'build').length;
  return { build, skip: view.rows.length - build };
}

export function planJson(view: PlanView): Record<string, unknown> {
  return {
    version: 1,
    targets: view.rows,
    summary: counts(view),
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
    if (r.destroys)
      lines.push(
        `      destroys: ${r.destroys.join(', ')}${r.keeps ? `; keeps ${r.keeps.join(', ')}` : ''}`,
      );
    if (r.refused !== undefined) {
      // One guest's refusal applies to all its targets: said once.
      lines.push(`      refused: ${told.has(r.refused) ? '(as above)' : r.refused}`);
      told.add(r.refused);
    }
    // The changed keys last, indented past the markers, which keep their column.
    for (const reason of r.reasons) for (const c of changeLines(reason)) lines.push(`      ${c}`);
  }
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

export function hasChanges(view: PlanView): boolean {
  return view.rows.some((r) => r.action === 'build');
}
