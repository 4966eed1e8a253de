// A plan as plain rows: what the full planner and the no-op fast path both
// return, so the commands print exactly the same text and JSON (DESIGN §6).
import type { Plan } from './plan.ts';
import type { Reason } from './reason.ts';
import { refusalText } from './guard.ts';

export interface PlanRow {
  readonly id: string;
  readonly entry: string;
  readonly kind: string;
  readonly hash: string;
  readonly action: 'build' | 'skip';
  readonly reasons: readonly Reason[];
  /** What building it destroys or discards (`rootfs`, `snapshot:<name>`, `changes since <snapshot>`). */
  readonly destroys?: readonly string[];
  /** What a re-creation carries over into the new build: `mp0 (store:subvol-801-disk-1)`. */
  readonly keeps?: readonly string[];
  /** Why it will not build although it would: a foreign guest, no consent, or built on those. */
  readonly refused?: string;
}

export interface PlanView {
  readonly rows: readonly PlanRow[];
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
      ...(plan.keeps.has(p.target.id) ? { keeps: plan.keeps.get(p.target.id)! } : {}),
      ...(plan.refused.has(p.target.id)
        ? { refused: refusalText(plan.refused.get(p.target.id)!) }
        : {}),
    })),
  };
}
