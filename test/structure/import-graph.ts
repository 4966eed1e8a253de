// The project's own import graph, read from the sources: every relative
// `import … from`, `export … from` and `import()` of every module under the
// layered folders. Type-only imports count: a type that lives above its user
// is a word in the wrong layer.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { Graph, alg } from '@dagrejs/graphlib';

export const repoRoot = resolve(import.meta.dirname, '../..');

const specifier = /(?:from\s*|import\s*\(\s*)'(\.{1,2}\/[^']+)'/g;

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Module (repo-relative) → the repo modules it imports. */
export function importGraph(roots: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const root of roots) {
    for (const file of sources(join(repoRoot, root))) {
      const text = readFileSync(file, 'utf8');
      const targets = [...text.matchAll(specifier)].map((m) =>
        relative(repoRoot, resolve(dirname(file), m[1]!)),
      );
      graph.set(relative(repoRoot, file), targets);
    }
  }
  return graph;
}

/** Every loop's modules: graphlib's strongly connected components of more than one module. */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const g = new Graph();
  for (const [from, imports] of graph) {
    g.setNode(from);
    for (const to of imports) if (graph.has(to)) g.setEdge(from, to);
  }
  return alg
    .tarjan(g)
    .filter((component) => component.length > 1)
    .map((component) => component.sort());
}
