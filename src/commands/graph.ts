// `phx graph [IDS…|--all] [--format dot|mermaid|json] [--status]`
// Edges point from producer to consumer; `--status` colours each node by
// what a build would do (build, skip) or did last (failed).
import type { Plan } from '../engine/plan.ts';
import { select } from '../engine/pipeline.ts';
import { prepare } from './prepare.ts';
import { planProject } from '../engine/planning.ts';
import type { Edge } from '../../targets/target.ts';
import { ExitCode, type CommandContext } from './context.ts';
import { chooseSource, type SourceFlags } from './plan-source.ts';

export interface GraphArgs extends SourceFlags {
  readonly ids: readonly string[];
  readonly format: 'dot' | 'mermaid' | 'json';
  readonly status?: boolean;
}

type Status = 'build' | 'skip' | 'failed';

interface GraphData {
  nodes: { id: string; entry: string; kind: string; hash: string; status: Status }[];
  edges: { from: string; to: string; kind: Edge['kind'] }[];
}

export async function run(ctx: CommandContext, args: GraphArgs): Promise<number> {
  const prepared = await prepare(ctx);
  if (!prepared.ok) return prepared.exitCode;
  const selection = select(prepared.value, args.ids);
  if (!selection.ok) {
    ctx.io.err(`phx: ${selection.error}\n`);
    return ExitCode.usage;
  }
  // Without --status the graph needs no host: fingerprints come from the records.
  const source = await chooseSource(
    ctx,
    prepared.value,
    args.status ? args : { ...args, offline: args.offline ?? true },
  );
  if (!source.ok) return source.exitCode;
  try {
    const { plan, cache } = await planProject(prepared.value, selection.value, source.source, {
      force: false,
      signal: ctx.signal,
    });
    const failedNow = new Set(
      plan.targets
        .filter((p) => cache?.getFailure(p.target.id) === p.fingerprint)
        .map((p) => p.target.id as string),
    );
    await cache?.close();
    const data = graphData(plan, (id) => failedNow.has(id));
    const text =
      args.format === 'json'
        ? JSON.stringify(data, null, 2) + '\n'
        : args.format === 'mermaid'
          ? mermaid(data, !!args.status)
          : dot(data, !!args.status);
    ctx.io.out(text);
    return ExitCode.ok;
  } finally {
    await source.backend?.close();
  }
}

function graphData(plan: Plan, failed: (id: string) => boolean): GraphData {
  const selected = new Set(plan.targets.map((p) => p.target.id as string));
  return {
    nodes: plan.targets.map((p) => ({
      id: p.target.id,
      entry: p.target.entry,
      kind: p.target.kind,
      hash: p.fingerprint,
      status: failed(p.target.id) ? 'failed' : p.action,
    })),
    edges: plan.targets.flatMap((p) =>
      p.target.deps
        .filter((e) => selected.has(e.from))
        .map((e) => ({ from: e.from, to: e.to, kind: e.kind })),
    ),
  };
}

const colours: Record<Status, string> = { build: '#f0a30a', skip: '#60a917', failed: '#e51400' };
const edgeStyle: Record<Edge['kind'], string> = {
  layer: 'solid',
  clone: 'bold',
  artifact: 'dashed',
  apply: 'dotted',
  order: 'dotted',
};

function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function dot(g: GraphData, status: boolean): string {
  const lines = ['digraph phx {', '  rankdir=LR;', '  node [shape=box, fontname="monospace"];'];
  const entries = [...new Set(g.nodes.map((n) => n.entry))];
  for (const entry of entries) {
    lines.push(`  subgraph ${quote(`cluster_${entry}`)} {`, `    label=${quote(entry)};`);
    for (const n of g.nodes.filter((x) => x.entry === entry)) {
      const fill = status ? `, style=filled, fillcolor=${quote(colours[n.status])}` : '';
      lines.push(`    ${quote(n.id)} [label=${quote(n.id.split('/').slice(2).join('/'))}${fill}];`);
    }
    lines.push('  }');
  }
  for (const e of g.edges)
    lines.push(
      `  ${quote(e.from)} -> ${quote(e.to)} [label=${quote(e.kind)}, style=${edgeStyle[e.kind]}];`,
    );
  lines.push('}');
  return lines.join('\n') + '\n';
}

function mermaid(g: GraphData, status: boolean): string {
  const ids = new Map(g.nodes.map((n, i) => [n.id, `n${i}`]));
  const lines = ['flowchart LR'];
  for (const n of g.nodes)
    lines.push(`  ${ids.get(n.id)}["${n.id}"]${status ? `:::${n.status}` : ''}`);
  for (const e of g.edges) {
    const arrow = e.kind === 'apply' ? '-.->' : e.kind === 'clone' ? '==>' : '-->';
    lines.push(`  ${ids.get(e.from)} ${arrow}|${e.kind}| ${ids.get(e.to)}`);
  }
  if (status) for (const [s, c] of Object.entries(colours)) lines.push(`  classDef ${s} fill:${c}`);
  return lines.join('\n') + '\n';
}
