// Why a target builds (DESIGN §6 reason kinds). Reasons explain the decision
// of src/engine/plan.ts; they never make it. `reapply` and `drift` are phx's
// additions: settings go back on after their guest is created, cloned or
// rolled back, and when the live settings no longer match the declared ones.
import type { TargetId } from '../core/target-id.ts';

/** One key that changed inside a config value, with where its new value is written. */
export interface ConfigChange {
  /** JSON pointer of the key in its file: `/lxc_configs/950/vllm_engine_config/model`. */
  readonly pointer: string;
  /** The key as the guest's entry names it: `vllm_engine_config.model`. */
  readonly path: string;
  /** Absent when the key did not exist before (or does not now). Secrets read `***`. */
  readonly old?: unknown;
  readonly new?: unknown;
  /** Config file (as validate shows it) and line of the new value; of its parent when removed. */
  readonly file?: string;
  readonly line?: number;
}

export type Reason =
  | { readonly kind: 'never-built' }
  | {
      readonly kind: 'input-changed';
      readonly input: string;
      readonly old?: unknown;
      readonly new?: unknown;
      /** A config value: the keys inside it that changed (`plan --json` adds, never replaces). */
      readonly changes?: readonly ConfigChange[];
      /** A file whose recorded line digests are known: lines added and removed since. */
      readonly lines?: { readonly added: number; readonly removed: number };
    }
  /** The entry's feature list gained or lost features before this layer. */
  | {
      readonly kind: 'features-changed';
      readonly added: readonly string[];
      readonly removed: readonly string[];
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
      if (r.lines !== undefined)
        return `${r.input} changed (+${String(r.lines.added)} −${String(r.lines.removed)} lines)`;
      // The keys themselves are shown one per line (changeLines).
      if (r.changes !== undefined && r.changes.length > 0)
        return `${r.input.replace(/^config:/, 'config ')} changed`;
      return 'old' in r || 'new' in r
        ? `${r.input}: ${JSON.stringify(r.old)} → ${JSON.stringify(r.new)}`
        : `${r.input} changed`;
    case 'features-changed':
      return `features ${[...r.added.map((f) => `+ ${f}`), ...r.removed.map((f) => `− ${f}`)].join(', ')}`;
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

/** Longest value shown in text; `plan --json` keeps the whole value. */
const maxShown = 80;

function shown(present: boolean, v: unknown): string {
  if (!present) return '(absent)';
  const text = JSON.stringify(v);
  return text.length <= maxShown ? text : `${text.slice(0, maxShown - 1)}…`;
}

/**
 * A config reason's changed keys as a diff reads them, one per line:
 * `~ vllm_engine_config.model: "…7B…" → "…14B…"  configs/phoenix_lxc_configs.json:412`
 * (`+` a key that appeared, `-` one that went).
 */
export function changeLines(r: Reason): string[] {
  if (r.kind !== 'input-changed' || r.changes === undefined) return [];
  return r.changes.map((c) => {
    const had = 'old' in c;
    const has = 'new' in c;
    const mark = !had ? '+' : !has ? '-' : '~';
    const where =
      c.file !== undefined ? `  ${c.file}${c.line !== undefined ? `:${String(c.line)}` : ''}` : '';
    return `${mark} ${c.path}: ${shown(had, c.old)} → ${shown(has, c.new)}${where}`;
  });
}
