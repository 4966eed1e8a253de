// The shared front half of plan, build, graph and explain: build file →
// validated project → targets → graph → selection. Errors are printed here
// (diagnostics point into the user's files) and returned as an exit code.
import type { CommandContext } from '../commands/context.ts';
import { ExitCode } from '../commands/context.ts';
import type { Project } from '../model/model.ts';
import { loadBuildFile, type BuildFile } from './build-file.ts';
import { buildGraph, closure, type TargetGraph } from './graph.ts';
import { initHash } from '../core/hash.ts';
import { cacheDirOf, resolvePaths, type Paths } from './paths.ts';
import { parseTargetId, type TargetId } from '../core/target-id.ts';
import type { Guest } from '../model/model.ts';

export interface Prepared {
  readonly paths: Paths;
  readonly buildFile: BuildFile;
  readonly project: Project;
  readonly graph: TargetGraph;
  readonly unbuilt: readonly Guest[];
  /** Warnings as printed, so a later no-op plan that skips validation can show them again. */
  readonly warnings: string;
}

export type Prepare = { ok: true; value: Prepared } | { ok: false; exitCode: number };

export async function prepare(ctx: CommandContext): Promise<Prepare> {
  await initHash();
  const bf = await loadBuildFile(ctx.cwd, cacheDirOf(ctx));
  if (!bf.ok) {
    ctx.io.err(`phx: ${bf.error}\n`);
    return { ok: false, exitCode: ExitCode.error };
  }
  const paths = resolvePaths(ctx, bf.value);
  const { loadProject } = await import('../model/load.ts');
  const loaded = await loadProject({
    configDir: paths.configDir,
    featuresDir: paths.featuresDir,
    strict: ctx.globals.strict,
    cwd: ctx.cwd,
  });
  let warnings = '';
  if (loaded.diagnostics.length > 0) {
    const { renderDiagnostic } = await import('../model/render.ts');
    for (const d of loaded.diagnostics) {
      const text = renderDiagnostic(d, loaded.sources.get(d.file)) + '\n';
      if (d.severity === 'warning') warnings += text;
      if (d.severity === 'warning' && ctx.globals.quiet) continue;
      ctx.io.err(text);
    }
  }
  if (!loaded.project) return { ok: false, exitCode: ExitCode.error };
  const { expandProject } = await import('../../targets/index.ts');
  const expansion = await expandProject(loaded.project);
  const graph = buildGraph(expansion.targets);
  if (!graph.ok) {
    const e = graph.error;
    ctx.io.err(
      e.type === 'cycle'
        ? `phx: the targets form a cycle: ${e.cycle.join(' → ')}\n`
        : `phx: ${e.edge.to} consumes ${e.edge.from}, which no entry defines\n`,
    );
    return { ok: false, exitCode: ExitCode.error };
  }
  return {
    ok: true,
    value: {
      paths,
      buildFile: bf.value,
      project: loaded.project,
      graph: graph.value,
      unbuilt: expansion.unbuilt,
      warnings,
    },
  };
}

export type Selection = { ok: true; value: Set<TargetId> } | { ok: false; error: string };

/**
 * IDS → the targets they name plus everything those consume. An id is a
 * CTID/VMID (all of that guest's targets), a target id, or nothing (all).
 */
export function select(prepared: Prepared, ids: readonly string[]): Selection {
  const { graph } = prepared;
  if (ids.length === 0) return { ok: true, value: new Set(graph.targets.keys()) };
  const roots: TargetId[] = [];
  for (const raw of ids) {
    if (/^\d+$/.test(raw)) {
      const guest = prepared.project.guests.get(Number(raw) as Guest['id']);
      if (!guest) return { ok: false, error: `${raw} is not a CTID or VMID in the configs` };
      const own = [...graph.targets.values()].filter((t) => t.entry === raw).map((t) => t.id);
      roots.push(...own);
    } else if (graph.targets.has(raw as TargetId)) {
      roots.push(raw as TargetId);
    } else if (parseTargetId(raw)) {
      return { ok: false, error: `no target ${raw} in this project` };
    } else {
      return { ok: false, error: `${raw} is neither an id nor a target id` };
    }
  }
  return { ok: true, value: closure(graph, wholeGuestsFor(graph, roots)) };
}

/**
 * Whether settings or a firewall file go back on depends on every layer of
 * their guest (a rollback or re-creation re-applies them), so selecting one
 * selects its whole guest: `plan`, `explain` and `build` of `lxc/950/settings`
 * then decide it exactly as a plan of everything does.
 */
function wholeGuestsFor(graph: TargetGraph, roots: readonly TargetId[]): TargetId[] {
  const entries = new Set<string>();
  for (const id of roots) {
    const t = graph.targets.get(id)!;
    if (t.kind === 'settings' || t.kind === 'firewall') entries.add(t.entry);
  }
  if (entries.size === 0) return [...roots];
  const whole = [...graph.targets.values()].filter((t) => entries.has(t.entry)).map((t) => t.id);
  return [...roots, ...whole];
}
