// Finds cycles in a small directed graph of guest ids, each reported once,
// rotated to start at its smallest id so the message is stable.

/** Cycles as id lists [a, b, c] meaning a → b → c → a. */
export function findCycles(
  nodes: readonly number[],
  next: (id: number) => readonly number[],
): number[][] {
  const state = new Map<number, 'active' | 'done'>();
  const seen = new Set<string>();
  const cycles: number[][] = [];
  for (const start of nodes) {
    if (state.has(start)) continue;
    // Iterative DFS: the path and each frame's remaining edges.
    const path: number[] = [start];
    const frames: { id: number; edges: readonly number[]; i: number }[] = [
      { id: start, edges: next(start), i: 0 },
    ];
    state.set(start, 'active');
    while (frames.length > 0) {
      const f = frames[frames.length - 1]!;
      if (f.i >= f.edges.length) {
        state.set(f.id, 'done');
        frames.pop();
        path.pop();
        continue;
      }
      const to = f.edges[f.i++]!;
      const s = state.get(to);
      if (s === 'active') {
        const cycle = rotate(path.slice(path.indexOf(to)));
        const key = cycle.join(' ');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(cycle);
        }
      } else if (s === undefined) {
        state.set(to, 'active');
        path.push(to);
        frames.push({ id: to, edges: next(to), i: 0 });
      }
    }
  }
  return cycles;
}

function rotate(cycle: number[]): number[] {
  let min = 0;
  for (let i = 1; i < cycle.length; i++) if (cycle[i]! < cycle[min]!) min = i;
  return [...cycle.slice(min), ...cycle.slice(0, min)];
}

/** "900 clones 912, 912 clones 901, 901 clones 900" */
export function describeCycle(cycle: readonly number[], verb: string): string {
  return cycle.map((id, i) => `${id} ${verb} ${cycle[(i + 1) % cycle.length]}`).join(', ');
}
