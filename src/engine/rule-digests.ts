// A rule's digest: what its targets' fingerprints hold of the code that builds
// them. It covers the rule's module and every module of phx it imports,
// transitively (static imports and `import('./literal')`; packages and node:
// builtins are outside phx's code and are pinned by package-lock), so editing
// rules/health-check.ts rebuilds every `check` target and nothing else.
// Code that no rule imports (the planner, the executor, the CLI) shapes every
// target alike: a change there that matters bumps ENGINE_FORMAT instead.
//
// The import graph comes from esbuild's metafile (a bundle of the rules that
// is never written): ~70 ms in a fresh process, so it is cached in the LMDB
// environment under the (size, mtime, inode) of every file it read, and a
// plan whose rule modules are untouched stats ~25 files and hashes nothing.
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Cache } from '../cache/cache-api.ts';
import type { FileDigests } from '../cache/file-digests.ts';
import { canonicalJson } from './canonical.ts';
import { packageRoot, sourceOf, tsSourceCandidate } from './code-root.ts';
import { hashString } from '../core/hash.ts';
import type { TargetKind } from '../core/target-id.ts';
import type { RuleGraphRecord } from '../cache/records.ts';

/** A rule as its digest sees it: the module that runs it. */
export interface RuleModule {
  readonly kind: TargetKind;
  /** Absolute path of the running module (rules/x.ts under tsx, dist/rules/x.js compiled). */
  readonly module: string;
}

/**
 * A file whose mtime is this close to the start of a graph computation may
 * have been written while esbuild read it ("racily clean", as git calls it):
 * its stat cannot vouch for the graph, so the graph is not cached. File
 * times come from a coarse kernel clock that can lag Date.now() by a tick.
 */
const racyMarginMs = 1000;

/** The digest of every built-in rule (rules/index.ts), for the running phx. */
export async function ruleDigests(
  digests: FileDigests,
  cache: Cache | undefined,
): Promise<Map<TargetKind, string>> {
  const { rules } = await import('../../rules/index.ts');
  const modules = Object.values(rules).map((r) => ({
    kind: r.kind,
    module: fileURLToPath(r.source),
  }));
  return (await computeRuleDigests({ root: packageRoot, rules: modules, digests, cache })).digests;
}

export interface RuleDigests {
  readonly digests: Map<TargetKind, string>;
  /** Whether the import graph was read from the cache (no esbuild run, no file read). */
  readonly cached: boolean;
  /** Each rule's modules, by key (path relative to the package root). */
  readonly modules: ReadonlyMap<TargetKind, readonly string[]>;
}

/** The digests of `rules`, whose modules live in the package folder `root`. */
export async function computeRuleDigests(input: {
  readonly root: string;
  readonly rules: readonly RuleModule[];
  readonly digests: FileDigests;
  readonly cache: Cache | undefined;
}): Promise<RuleDigests> {
  const { root, rules, digests, cache } = input;
  const key = `rules:${hashString(canonicalJson({ root, rules: rules.map((r) => [r.kind, r.module]) }))}`;
  const known = cache?.getRuleGraph(key);
  if (known && statSignature(known.files).signature === known.signature) {
    return {
      digests: new Map(Object.entries(known.digests) as [TargetKind, string][]),
      cached: true,
      modules: new Map(Object.entries(known.modules) as [TargetKind, string[]][]),
    };
  }

  const started = Date.now();
  const graph = await importGraph(
    root,
    rules.map((r) => r.module),
  );
  // The files that decide the graph and the digests: every module, the
  // source it maps to (or would, once it appears), and the package settings
  // esbuild resolves with. Stat'ed before hashing: an edit from here on
  // leaves a newer stat than the one recorded, and an edit while esbuild read
  // is caught by the racy check below.
  const watched = [...graph.keys()].flatMap((m) => [m, tsSourceCandidate(root, m) ?? m]);
  watched.push(join(root, 'package.json'), join(root, 'tsconfig.json'));
  const stats = statSignature(watched);

  const out = new Map<TargetKind, string>();
  const modules = new Map<TargetKind, string[]>();
  for (const rule of rules) {
    const files: Record<string, string> = {};
    for (const m of closure(graph, rule.module)) {
      const source = sourceOf(root, m);
      files[source.key] = await digests.digest(source.path);
    }
    // Keys with their digests, never bare sorted digests: a moved module is a change.
    out.set(rule.kind, hashString(canonicalJson(files)));
    modules.set(rule.kind, Object.keys(files).sort());
  }

  if (cache && !stats.racy(started - racyMarginMs)) {
    const record: RuleGraphRecord = {
      files: stats.files,
      signature: stats.signature,
      digests: Object.fromEntries(out),
      modules: Object.fromEntries(modules),
    };
    await cache.putRuleGraph(key, record);
  }
  return { digests: out, cached: false, modules };
}

/** Every module reachable from `entry` (itself included), in the package. */
function closure(graph: ReadonlyMap<string, readonly string[]>, entry: string): Set<string> {
  const seen = new Set<string>();
  const stack = [entry];
  for (let m = stack.pop(); m !== undefined; m = stack.pop()) {
    if (seen.has(m)) continue;
    seen.add(m);
    stack.push(...(graph.get(m) ?? []));
  }
  return seen;
}

/**
 * Module → the package modules it imports, for everything reachable from the
 * entries. esbuild resolves as Node does (and reads tsconfig for TypeScript,
 * so `import type` adds no edge, as in the compiled JavaScript); packages and
 * builtins stay external and out of the graph.
 */
async function importGraph(
  root: string,
  entries: readonly string[],
): Promise<Map<string, string[]>> {
  // Loaded only when the cached graph is stale: esbuild costs ~15 ms to import.
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [...entries],
    absWorkingDir: root,
    bundle: true,
    write: false,
    metafile: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    // Required for several entry points; nothing is written (write: false).
    outdir: join(root, '.phx-rule-graph'),
    logLevel: 'silent',
  });
  const graph = new Map<string, string[]>();
  for (const [path, input] of Object.entries(result.metafile.inputs)) {
    graph.set(
      join(root, path),
      input.imports.filter((i) => i.external !== true).map((i) => join(root, i.path)),
    );
  }
  return graph;
}

/** (size, mtime, inode) of files, hashed: equal signatures, untouched files. */
function statSignature(files: readonly string[]): {
  files: string[];
  signature: string;
  /** Whether a file was modified at or after `since` (ms since the epoch). */
  racy(since: number): boolean;
} {
  const sorted = [...new Set(files)].sort();
  let newest = 0;
  const lines = sorted.map((f) => {
    try {
      const st = statSync(f);
      newest = Math.max(newest, st.mtimeMs);
      return `${f} ${st.size} ${st.mtimeMs} ${st.ino}`;
    } catch {
      return `${f} -`;
    }
  });
  return {
    files: sorted,
    signature: hashString(lines.join('\n')),
    racy: (since) => newest >= since,
  };
}
