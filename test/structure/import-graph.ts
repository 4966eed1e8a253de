// The project's own import graph, read from the sources: every relative
// `import … from`, `export … from` and `import()` of every module under the
// layered folders. Type-only imports count: a type that lives above its user
// is a word in the wrong layer.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

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

/** Every cycle's modules, found by Tarjan's strongly connected components. */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}
