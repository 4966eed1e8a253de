// `phx plan [IDS…|--all] [--json] [--detailed-exitcode] [--offline] [--state FILE]`
import type { Plan, PlannedTarget } from '../engine/plan.ts';
import { summary } from '../engine/plan.ts';
import { describeReason } from '../engine/reason.ts';
import { prepare, select } from '../engine/pipeline.ts';
import { planProject } from '../engine/planning.ts';
import { ExitCode, type CommandContext } from './context.ts';
import { chooseSource, type SourceFlags } from './plan-source.ts';

export interface PlanArgs extends SourceFlags {
  readonly ids: readonly string[];
  readonly detailedExitcode?: boolean;
  readonly force?: boolean;
}

export async function run(ctx: CommandContext, args: PlanArgs): Promise<number> {
  const prepared = await prepare(ctx);
  if (!prepared.ok) return prepared.exitCode;
  const selection = select(prepared.value, args.ids);
  if (!selection.ok) {
    ctx.io.err(`phx: ${selection.error}\n`);
    return ExitCode.usage;
  }
  const source = await chooseSource(ctx, prepared.value, args);
  if (!source.ok) return source.exitCode;
  try {
    const { plan, cache } = await planProject(prepared.value, selection.value, source.source, {
      force: args.force ?? false,
      signal: ctx.signal,
    });
    await cache?.close();
    if (ctx.globals.json) ctx.io.out(JSON.stringify(planJson(plan), null, 2) + '\n');
    else ctx.io.out(planText(plan, ctx.globals.verbose));
    const { build } = summary(plan);
    return args.detailedExitcode && build > 0 ? ExitCode.changes : ExitCode.ok;
  } finally {
    await source.backend?.close();
  }
}

export function targetJson(p: PlannedTarget): Record<string, unknown> {
  return {
    id: p.target.id,
    entry: p.target.entry,
    kind: p.target.kind,
    hash: p.fingerprint,
    action: p.action,
    reasons: p.reasons,
  };
}

export function planJson(plan: Plan): Record<string, unknown> {
  return {
    version: 1,
    targets: plan.targets.map(targetJson),
    summary: summary(plan),
    ...(plan.unbuilt.length > 0 ? { not_built: plan.unbuilt.map((g) => `${g.kind}/${g.id}`) } : {}),
  };
}

export function planText(plan: Plan, verbose: boolean): string {
  const lines: string[] = [];
  const width = Math.max(0, ...plan.targets.map((p) => p.target.id.length));
  for (const p of plan.targets) {
    if (p.action === 'skip' && !verbose) continue;
    const why = p.reasons.map(describeReason).join('; ');
    lines.push(
      `${p.action === 'build' ? '+' : ' '} ${p.target.id.padEnd(width)}  ${p.action}${why ? `  (${why})` : ''}`,
    );
  }
  lines.push(...unbuiltNote(plan));
  const { build, skip } = summary(plan);
  lines.push(
    build === 0
      ? `Nothing to build: ${skip} targets up to date.`
      : `Plan: ${build} to build, ${skip} up to date.`,
  );
  return lines.join('\n') + '\n';
}

export function unbuiltNote(plan: Plan): string[] {
  if (plan.unbuilt.length === 0) return [];
  const ids = plan.unbuilt.map((g) => g.id).join(', ');
  return [`VMs ${ids}: not built by this version (validated, and ordered at start only).`];
}
