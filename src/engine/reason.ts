// Why a target builds (DESIGN §6 reason kinds). `reapply` is phx's addition:
// settings are re-applied after their guest is created, cloned or rolled back,
// even when their own inputs are unchanged.
import type { TargetId } from './target-id.ts';

export type Reason =
  | { readonly kind: 'never-built' }
  | {
      readonly kind: 'input-changed';
      readonly input: string;
      readonly old?: unknown;
      readonly new?: unknown;
    }
  | { readonly kind: 'upstream'; readonly target: TargetId }
  | { readonly kind: 'output-missing'; readonly output: string }
  | { readonly kind: 'forced' }
  | { readonly kind: 'reapply'; readonly target: TargetId };

export function describeReason(r: Reason): string {
  switch (r.kind) {
    case 'never-built':
      return 'never built';
    case 'input-changed':
      return 'old' in r || 'new' in r
        ? `${r.input}: ${JSON.stringify(r.old)} → ${JSON.stringify(r.new)}`
        : `${r.input} changed`;
    case 'upstream':
      return `upstream ${r.target} rebuilds`;
    case 'output-missing':
      return `output ${r.output} is missing`;
    case 'forced':
      return 'forced';
    case 'reapply':
      return `re-applied after ${r.target}`;
  }
}
