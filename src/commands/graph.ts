// `phx graph [IDS…] [--deps ID] [--rdeps ID] [--format dot|svg|html|mermaid|json] [--status]`
// Edges point from producer to consumer; nodes are coloured by what a build
// would do (build, skip) or did last (failed): from the records by default,
// from the host with `--status`. The formats live in ./graph/.
import { basename } from 'node:path';
import { prepare } from './prepare.ts';
import { planProject } from '../engine/planning.ts';
import { ExitCode, type CommandContext } from './context.ts';
import { chooseSource, type SourceFlags } from './plan-source.ts';
import { graphData, type GraphData } from './graph/data.ts';
import { graphSelection } from './graph/selection.ts';
import { dot } from './graph/dot.ts';
import { mermaid } from './graph/mermaid.ts';
import { describeSvgError, renderSvg } from './graph/svg.ts';
import { htmlPage } from './graph/html.ts';
import type { Result } from '../core/result.ts';

export type GraphFormat = 'dot' | 'svg' | 'html' | 'mermaid' | 'json';

export interface GraphArgs extends SourceFlags {
  readonly ids: readonly string[];
  /** Also show what these ids need (the same as naming them as IDS). */
  readonly deps?: readonly string[];
  /** Show these ids and everything built on them. */
  readonly rdeps?: readonly string[];
  readonly format: GraphFormat;
  readonly status?: boolean;
}

export async function run(ctx: CommandContext, args: GraphArgs): Promise<number> {
  const prepared = await prepare(ctx);
  if (!prepared.ok) return prepared.exitCode;
  const selection = graphSelection(prepared.value, args);
  if (!selection.ok) {
    ctx.io.err(`phx: ${selection.error}\n`);
    return ExitCode.usage;
  }
  // Without --status the graph needs no host: fingerprints come from the records.
  const flags = args.status ? args : { ...args, offline: args.offline ?? true };
  const source = await chooseSource(ctx, prepared.value, flags);
  if (!source.ok) return source.exitCode;
  try {
    const { plan, cache } = await planProject(
      prepared.value,
      new Set(selection.value.planned),
      source.source,
      { force: false, signal: ctx.signal },
    );
    const failedNow = new Set(
      plan.targets
        .filter((p) => cache?.getFailure(p.target.id) === p.fingerprint)
        .map((p) => p.target.id as string),
    );
    await cache?.close();
    const data = graphData(prepared.value.project, plan, selection.value.shown, (id) =>
      failedNow.has(id),
    );
    const statusSource =
      flags.state !== undefined ? `state ${flags.state}` : flags.offline ? 'records' : 'host';
    const text = await render(data, args.format, { title: basename(ctx.cwd), statusSource }, ctx);
    if (!text.ok) {
      ctx.io.err(`phx: ${text.error}\n`);
      return ExitCode.error;
    }
    ctx.io.out(text.value);
    return ExitCode.ok;
  } finally {
    await source.backend?.close();
  }
}

async function render(
  data: GraphData,
  format: GraphFormat,
  info: { title: string; statusSource: string },
  ctx: CommandContext,
): Promise<Result<string, string>> {
  switch (format) {
    case 'json':
      return { ok: true, value: JSON.stringify(data, null, 2) + '\n' };
    case 'mermaid':
      return { ok: true, value: mermaid(data) };
    case 'dot':
      return { ok: true, value: dot(data, { legend: true }) };
    case 'svg':
    case 'html': {
      const svg = await renderSvg(dot(data, { legend: format === 'svg' }), ctx.signal);
      if (!svg.ok) return { ok: false, error: describeSvgError(svg.error) };
      return { ok: true, value: format === 'svg' ? svg.value : htmlPage(data, svg.value, info) };
    }
  }
}
