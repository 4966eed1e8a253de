// `reconfigure`'s plan: every target of one guest rebuilds (as --force would
// make it), while what it consumes (its clone source's layers) keeps its own
// verdict, so an up-to-date template is not rebuilt along with its clone.
import type { Plan } from '../../engine/plan.ts';
import type { PlannedTarget } from '../../engine/planned-target.ts';

export function forceEntry(plan: Plan, entry: string): Plan {
  const targets = plan.targets.map((p): PlannedTarget =>
    p.target.entry !== entry
      ? p
      : {
          ...p,
          action: 'build',
          reasons: [{ kind: 'forced' }, ...p.reasons.filter((r) => r.kind !== 'forced')],
        },
  );
  return { ...plan, targets, byId: new Map(targets.map((p) => [p.target.id, p])) };
}
