// `phx explain TARGET`: why TARGET would rebuild, each changed input old →
// new, walked back through upstream targets to the root cause.
import type { Plan } from '../engine/plan.ts';
import { changeLines, describeReason, reasonTarget, type Reason } from '../engine/reason.ts';
import { select } from '../engine/pipeline.ts';
import { prepare } from './prepare.ts';
import { planProject } from '../engine/planning.ts';
import type { TargetId } from '../core/target-id.ts';
import { ExitCode, type CommandContext } from './context.ts';
import { chooseSource, type SourceFlags } from './plan-source.ts';

export interface ExplainArgs extends SourceFlags {
  readonly target: string;
}

export async function run(ctx: CommandContext, args: ExplainArgs): Promise<number> {
  const prepared = await prepare(ctx);
  if (!prepared.ok) return prepared.exitCode;
  const selection = select(prepared.value, [args.target]);
  if (!selection.ok) {
    ctx.io.err(`phx: ${selection.error}\n`);
    return ExitCode.usage;
  }
  const source = await chooseSource(ctx, prepared.value, args);
  if (!source.ok) return source.exitCode;
  try {
    const { plan, cache } = await planProject(prepared.value, selection.value, source.source, {
      force: false,
      signal: ctx.signal,
    });
    await cache?.close();
    const roots = /^\d+$/.test(args.target)
      ? plan.targets.filter((p) => p.target.entry === args.target).map((p) => p.target.id)
      : [args.target as TargetId];
    if (ctx.globals.json) {
      ctx.io.out(
        JSON.stringify({ version: 1, targets: roots.map((id) => explainJson(plan, id)) }, null, 2) +
          '\n',
      );
    } else {
      ctx.io.out(roots.map((id) => explainText(plan, id)).join(''));
    }
    return ExitCode.ok;
  } finally {
    await source.backend?.close();
  }
}

/** Reasons of a target that point at nothing further back: its own causes. */
function ownReasons(reasons: readonly Reason[]): Reason[] {
  return reasons.filter((r) => reasonTarget(r) === undefined);
}

/**
 * The targets at the bottom of the upstream chain: those with reasons of
 * their own, or an upstream whose fingerprint changed in an earlier build
 * (it is up to date now; what changed it is in that build's history).
 */
export function rootCauses(plan: Plan, id: TargetId): TargetId[] {
  const out: TargetId[] = [];
  const seen = new Set<TargetId>();
  const walk = (t: TargetId) => {
    if (seen.has(t)) return;
    seen.add(t);
    const p = plan.byId.get(t);
    if (!p) return;
    if (p.action === 'skip') {
      if (t !== id) out.push(t);
      return;
    }
    let own = false;
    for (const r of p.reasons) {
      const next = reasonTarget(r);
      if (next !== undefined) walk(next);
      else own = true;
    }
    if (own) out.push(t);
  };
  walk(id);
  return out;
}

function causeText(plan: Plan, cause: TargetId): string {
  const p = plan.byId.get(cause)!;
  if (p.action === 'skip') return `${cause}: changed in an earlier build, up to date now`;
  const own = ownReasons(p.reasons);
  const keys = own.flatMap(changeLines).map((c) => `\n  ${c}`);
  return `${cause}: ${own.map(describeReason).join('; ')}${keys.join('')}`;
}

function explainText(plan: Plan, id: TargetId): string {
  const p = plan.byId.get(id);
  if (!p) return `${id}: not in the plan\n`;
  if (p.action === 'skip') return `${id} is up to date (fingerprint ${p.fingerprint}).\n`;
  const lines = [`${id} would rebuild:`];
  const seen = new Set<TargetId>();
  const walk = (t: TargetId, depth: number) => {
    const q = plan.byId.get(t);
    if (!q) return;
    for (const r of q.reasons) {
      lines.push(`${'  '.repeat(depth)}- ${describeReason(r)}`);
      for (const c of changeLines(r)) lines.push(`${'  '.repeat(depth + 1)}${c}`);
      const next = reasonTarget(r);
      if (next !== undefined && !seen.has(next)) {
        seen.add(next);
        walk(next, depth + 1);
      }
    }
  };
  walk(id, 1);
  for (const cause of rootCauses(plan, id)) lines.push(`root cause: ${causeText(plan, cause)}`);
  return lines.join('\n') + '\n';
}

function explainJson(plan: Plan, id: TargetId): Record<string, unknown> {
  const p = plan.byId.get(id);
  return {
    id,
    action: p?.action ?? 'unknown',
    reasons: p?.reasons ?? [],
    root_causes: rootCauses(plan, id).map((c) => ({
      target: c,
      action: plan.byId.get(c)!.action,
      reasons: ownReasons(plan.byId.get(c)!.reasons),
    })),
  };
}
