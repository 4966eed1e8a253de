// Shared by plan, graph, explain and build: which outputs to plan against,
// chosen from --offline / --state FILE / the live backend, and the one line
// naming the backend at the top of the output.
import { createBackend, chooseBackendKind } from './backend-choice.ts';
import type { Backend } from '../backends/backend.ts';
import type { Prepared } from '../engine/pipeline.ts';
import { readStateExport, type OutputSource } from '../engine/planning.ts';
import { ExitCode, type CommandContext } from './context.ts';

export interface SourceFlags {
  readonly offline?: boolean;
  readonly state?: string;
}

export type SourceChoice =
  { ok: true; source: OutputSource; backend?: Backend } | { ok: false; exitCode: number };

export async function chooseSource(
  ctx: CommandContext,
  prepared: Prepared,
  flags: SourceFlags,
): Promise<SourceChoice> {
  if (flags.state !== undefined) {
    const read = readStateExport(flags.state);
    if (!read.ok) {
      ctx.io.err(`phx: ${read.error}\n`);
      return { ok: false, exitCode: ExitCode.error };
    }
    const recorded = Object.values(read.value.targets)[0]?.backend;
    const backendKind = recorded ?? chooseBackendKind(ctx, prepared.buildFile);
    return { ok: true, source: { type: 'state', state: read.value, backendKind } };
  }
  if (flags.offline) {
    return {
      ok: true,
      source: { type: 'offline', backendKind: chooseBackendKind(ctx, prepared.buildFile) },
    };
  }
  const backend = await createBackend(ctx, prepared.buildFile);
  if (!backend.ok) {
    ctx.io.err(`phx: ${backend.error}\n`);
    return { ok: false, exitCode: ExitCode.error };
  }
  if (!ctx.globals.quiet) ctx.io.err(`${backend.value.describe()}\n`);
  return { ok: true, source: { type: 'live', backend: backend.value }, backend: backend.value };
}
