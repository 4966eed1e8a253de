// Why a target builds (DESIGN §6 reason kinds). Reasons explain the decision
// of src/engine/plan.ts; they never make it. `reapply` and `drift` are phx's
// additions: settings go back on after their guest is created, cloned or
// rolled back, and when the live settings no longer match the declared ones.
import type { TargetId } from '../core/target-id.ts';

export type Reason =
  | { readonly kind: 'never-built' }
  | {
      readonly kind: 'input-changed';
      readonly input: string;
      readonly old?: unknown;
      readonly new?: unknown;
    }
  | { readonly kind: 'upstream'; readonly target: TargetId }
  | { readonly kind: 'output-missing'; readonly output: string; readonly detail?: string }
  | { readonly kind: 'forced' }
  | { readonly kind: 'reapply'; readonly target: TargetId }
  | {
      readonly kind: 'drift';
      readonly key: string;
      readonly live: string | null;
      readonly declared: string | null;
    };

export function describeReason(r: Reason): string {
  switch (r.kind) {
    case 'never-built':
      return 'never built';
    case 'input-changed':
      if (
        (r.input.startsWith('upstream:') || r.input === 'engine-format') &&
        typeof r.old === 'string'
      )
        return `${r.input} ${r.old} → ${String(r.new)}`;
      return 'old' in r || 'new' in r
        ? `${r.input}: ${JSON.stringify(r.old)} → ${JSON.stringify(r.new)}`
        : `${r.input} changed`;
    case 'upstream':
      return `upstream ${r.target} rebuilds`;
    case 'output-missing':
      return `output ${r.output} ${r.detail ?? 'is missing'}`;
    case 'forced':
      return 'forced';
    case 'reapply':
      return `re-applied after ${r.target}`;
    case 'drift':
      return `drift: ${r.key} ${r.live ?? '(absent)'} → ${r.declared ?? '(removed)'}`;
  }
}

/** The target a reason points back to, for explain's walk to the root cause. */
export function reasonTarget(r: Reason): TargetId | undefined {
  if (r.kind === 'upstream' || r.kind === 'reapply') return r.target;
  if (r.kind === 'input-changed' && r.input.startsWith('upstream:'))
    return r.input.slice('upstream:'.length) as TargetId;
  return undefined;
}
