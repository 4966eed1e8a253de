// The shared front half of plan, build, graph and explain: build file →
// validated project → targets → graph → selection. Failures come back as
// values with the diagnostics; src/commands/prepare.ts prints them.
import type { Diagnostic } from '../model/diagnostic.ts';
import { err, ok, type Result } from '../core/result.ts';
import type { Project } from '../model/model.ts';
import { loadBuildFile, type BuildFile } from './build-file.ts';
import { buildGraph, closure, type GraphError, type TargetGraph } from './graph.ts';
import { initHash } from '../core/hash.ts';
import { join } from 'node:path';
import { cacheDirOf, resolvePaths, type PathInput, type Paths } from './paths.ts';
import { hostEntry, parseTargetId, type TargetId } from '../core/target-id.ts';
import type { Guest } from '../model/model.ts';
import { didYouMean } from '../model/suggest.ts';
import { ruleFor, type RuleRegistry } from '../../rules/rule.ts';

export interface Prepared {
  readonly paths: Paths;
  readonly buildFile: BuildFile;
  readonly project: Project;
  readonly graph: TargetGraph;
  /** The rules that build the targets, and what each kind declares. */
  readonly rules: RuleRegistry;
  /** Warnings as printed, so a later no-op plan that skips validation can show them again. */
  readonly warnings: string;
}

/** Why a project could not be prepared; the command prints it (src/commands/prepare.ts). */
export type PrepareFailure =
  | { readonly type: 'build-file'; readonly message: string }
  /** The configs did not validate: the diagnostics hold every error with its place. */
  | { readonly type: 'invalid' }
  | { readonly type: 'graph'; readonly error: GraphError };

export interface PrepareInput extends PathInput {
  readonly strict: boolean;
}

/** Diagnostics come back with either outcome: warnings of a valid project, errors of an invalid one. */
export interface PrepareOutcome {
  readonly result: Result<Prepared, PrepareFailure>;
  readonly diagnostics: readonly Diagnostic[];
  /** Display path → text of each config file read, for rendering the diagnostics. */
  readonly sources: ReadonlyMap<string, string>;
}

/** Build file → validated project → targets → graph, without printing anything. */
export async function prepareProject(input: PrepareInput): Promise<PrepareOutcome> {
  await initHash();
  const none = { diagnostics: [], sources: new Map<string, string>() };
  const bf = await loadBuildFile(input.cwd, cacheDirOf(input));
  if (!bf.ok) return { ...none, result: err({ type: 'build-file', message: bf.error }) };
  const paths = resolvePaths(input, bf.value);
  const { loadProject } = await import('../model/load.ts');
  const loaded = await loadProject({
    configDir: paths.configDir,
    featuresDir: paths.featuresDir,
    strict: input.strict,
    cwd: input.cwd,
  });
  const found = { diagnostics: loaded.diagnostics, sources: loaded.sources };
  if (!loaded.project) return { ...found, result: err({ type: 'invalid' }) };
  const { expandProject } = await import('../../targets/index.ts');
  const { rules } = await import('../../rules/index.ts');
  // The lxc backend does not manage its host: no host targets (targets/index.ts).
  const expansion = await expandProject(loaded.project, {
    host: bf.value.backend !== 'lxc',
    images: {
      root: paths.root,
      imagesDir: join(paths.configDir, 'images'),
      cacheDir: join(paths.cacheDir, 'images'),
      sources: bf.value.images ?? {},
    },
    ...(bf.value.vm?.agentTimeoutS === undefined
      ? {}
      : { agentTimeoutMs: bf.value.vm.agentTimeoutS * 1000 }),
  });
  const graph = buildGraph(expansion.targets);
  if (!graph.ok) return { ...found, result: err({ type: 'graph', error: graph.error }) };
  const value: Prepared = {
    paths,
    buildFile: bf.value,
    project: loaded.project,
    graph: graph.value,
    rules,
    warnings: '',
  };
  return { ...found, result: ok(value) };
}

export type Selection = Result<Set<TargetId>, string>;

/**
 * IDS → the targets they name plus everything those consume. An id is a
 * CTID/VMID (all of that guest's targets), `host` (every host target), a
 * target id, or nothing (all).
 */
export function select(prepared: Prepared, ids: readonly string[]): Selection {
  const { graph } = prepared;
  if (ids.length === 0) return { ok: true, value: new Set(graph.targets.keys()) };
  const roots: TargetId[] = [];
  for (const raw of ids) {
    if (raw === hostEntry) {
      // `phx setup`, `phx plan host`: every target of the hypervisor config
      // that needs no guest's (the host's CA trust waits for 103's app: it is
      // built with that guest, by `build --all` or by its own id).
      const own = [...graph.targets.values()].filter(
        (t) =>
          t.entry === hostEntry &&
          t.deps.every((e) => graph.targets.get(e.from)?.entry === hostEntry),
      );
      if (own.length === 0)
        return { ok: false, error: 'host selects no targets: the hypervisor config declares none' };
      roots.push(...own.map((t) => t.id));
    } else if (/^\d+$/.test(raw)) {
      const guest = prepared.project.guests.get(Number(raw) as Guest['id']);
      if (!guest) {
        const ids = [...prepared.project.guests.keys()].map(String);
        return {
          ok: false,
          error: `${raw} is not a CTID or VMID in the configs${didYouMean(raw, ids)}`,
        };
      }
      const own = [...graph.targets.values()].filter((t) => t.entry === raw).map((t) => t.id);
      // An id that selects nothing would "succeed" having done nothing (DESIGN §6).
      if (own.length === 0) return { ok: false, error: `${guest.id} selects no targets` };
      roots.push(...own);
    } else if (graph.targets.has(raw as TargetId)) {
      roots.push(raw as TargetId);
    } else if (parseTargetId(raw)) {
      return {
        ok: false,
        error: `no target ${raw} in this project${didYouMean(raw, graph.targets.keys())}`,
      };
    } else {
      const hint = didYouMean(raw, graph.targets.keys());
      return { ok: false, error: `${raw} is neither an id nor a target id${hint}` };
    }
  }
  return { ok: true, value: closure(graph, wholeGuestsFor(graph, prepared.rules, roots)) };
}

/**
 * Whether a target whose rule is re-applied (settings, a firewall file) goes
 * back on depends on every layer of its guest (a rollback or re-creation
 * re-applies it), so selecting one selects its whole guest: `plan`, `explain`
 * and `build` of `lxc/950/settings` then decide it exactly as a plan of
 * everything does.
 */
function wholeGuestsFor(
  graph: TargetGraph,
  rules: RuleRegistry,
  roots: readonly TargetId[],
): TargetId[] {
  const entries = new Set<string>();
  for (const id of roots) {
    const t = graph.targets.get(id)!;
    if (ruleFor(rules, t.kind).reapplied !== 'never') entries.add(t.entry);
  }
  if (entries.size === 0) return [...roots];
  const whole = [...graph.targets.values()].filter((t) => entries.has(t.entry)).map((t) => t.id);
  return [...roots, ...whole];
}
