// How build honours the plan's guard (src/engine/guard.ts): refused targets
// never reach the executor, consent can be given at a prompt on a terminal,
// and records re-derived from the host are written back before anything runs.
import { createInterface } from 'node:readline/promises';
import type { Cache } from '../cache/cache-api.ts';
import type { TargetRecord } from '../cache/records.ts';
import { guardPlan, refusalText, type GuardInput, type Refusal } from '../engine/guard.ts';
import type { Plan } from '../engine/plan.ts';
import type { TargetId } from '../core/target-id.ts';
import type { CommandContext } from './context.ts';

/** The plan with its destroys and refusals recomputed (after reconfigure forced an entry). */
export function guarded(plan: Plan, guard: GuardInput | undefined): Plan {
  return guard ? { ...plan, ...guardPlan(plan.targets, guard) } : plan;
}

/** The plan the executor runs: refused targets left out, as if up to date. */
export function withoutRefused(plan: Plan): Plan {
  if (plan.refused.size === 0) return plan;
  const targets = plan.targets.filter((p) => !plan.refused.has(p.target.id));
  return { ...plan, targets, byId: new Map(targets.map((p) => [p.target.id, p])) };
}

/**
 * On a terminal, list what re-creating each service guest destroys and ask.
 * Adds the entries the user agrees to to `consented`; true when any were.
 */
export async function askConsent(
  ctx: CommandContext,
  plan: Plan,
  consented: Set<string>,
): Promise<boolean> {
  const waiting = [...plan.refused].filter(([, r]) => r.type === 'needs-consent');
  if (waiting.length === 0 || ctx.globals.json || !process.stdin.isTTY || !process.stderr.isTTY)
    return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    for (const [id, r] of waiting) {
      const entry = plan.byId.get(id)!.target.entry;
      const answer = await rl.question(
        `phx: ${refusalText(r)}.\nDestroy and re-create ${entry}? [y/N] `,
      );
      if (/^y(es)?$/i.test(answer.trim())) consented.add(entry);
    }
  } finally {
    rl.close();
  }
  return waiting.some(([id]) => consented.has(plan.byId.get(id)!.target.entry));
}

/** Re-derived records go back into the cache, and the user is told. */
export async function keepDerived(
  ctx: CommandContext,
  cache: Cache,
  derived: ReadonlyMap<string, TargetRecord>,
): Promise<void> {
  if (derived.size === 0) return;
  for (const [id, r] of derived) await cache.putTarget(id, { ...r, builtAt: Date.now() });
  const entries = [...new Set([...derived.values()].map((r) => r.entry))].sort();
  if (!ctx.globals.quiet)
    ctx.io.err(
      `phx: the cache had no record of ${derived.size} target(s) of ${entries.join(', ')}; re-derived them from the snapshot descriptions on the host\n`,
    );
}

export function refusedText(refused: readonly (readonly [TargetId, Refusal])[]): string {
  const own = refused.filter(([, r]) => r.type !== 'upstream-refused');
  // A guest's targets share one reason: one line per reason, naming its targets.
  const byText = new Map<string, TargetId[]>();
  for (const [id, r] of own)
    byText.set(refusalText(r), [...(byText.get(refusalText(r)) ?? []), id]);
  const lines = [...byText].map(
    ([text, ids]) => `  ${ids[0]}${ids.length > 1 ? ` (+${ids.length - 1} more)` : ''}: ${text}`,
  );
  const downstream = refused.length - own.length;
  return (
    `phx: refused ${own.length} target(s)${downstream > 0 ? ` and ${downstream} built on them` : ''}; everything independent of them was built:\n` +
    lines.join('\n') +
    '\n'
  );
}
