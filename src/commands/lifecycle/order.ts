// Which guests a start or stop touches, and in what order (DESIGN §2 `order`
// edges): starting a guest starts what it depends on first; stopping one
// stops what depends on it first, so no guest runs without its dependencies.
import type { Guest, Project } from '../../model/model.ts';
import type { GuestId } from '../../core/ids.ts';

const byBoot = (a: Guest, b: Guest): number =>
  (a.bootOrder ?? Number.MAX_SAFE_INTEGER) - (b.bootOrder ?? Number.MAX_SAFE_INTEGER) ||
  a.id - b.id;

function dependentsOf(project: Project): Map<GuestId, Guest[]> {
  const out = new Map<GuestId, Guest[]>();
  for (const g of project.guests.values()) {
    for (const d of g.dependencies) out.set(d, [...(out.get(d) ?? []), g]);
  }
  return out;
}

/** `roots` and everything reachable through `next`, each once. */
function closure(roots: readonly Guest[], next: (g: Guest) => readonly Guest[]): Set<Guest> {
  const seen = new Set<Guest>();
  const walk = (g: Guest) => {
    if (seen.has(g)) return;
    seen.add(g);
    for (const n of next(g)) walk(n);
  };
  roots.forEach(walk);
  return seen;
}

/** `set` ordered dependencies first, ties by boot_order then id (cycles are refused by validation). */
export function dependenciesFirst(project: Project, set: ReadonlySet<Guest>): Guest[] {
  const out: Guest[] = [];
  const done = new Set<Guest>();
  const visit = (g: Guest) => {
    if (done.has(g)) return;
    done.add(g);
    const deps = g.dependencies
      .map((d) => project.guests.get(d))
      .filter((d): d is Guest => d !== undefined && set.has(d));
    for (const d of deps.sort(byBoot)) visit(d);
    out.push(g);
  };
  for (const g of [...set].sort(byBoot)) visit(g);
  return out;
}

/** Guests to start for `roots`: them and their dependencies, dependencies first. */
export function startPlan(project: Project, roots: readonly Guest[]): Guest[] {
  const deps = (g: Guest) =>
    g.dependencies.map((d) => project.guests.get(d)).filter((d): d is Guest => d !== undefined);
  return dependenciesFirst(project, closure(roots, deps));
}

/** Guests to stop for `roots`: them and everything depending on them, dependents first. */
export function stopPlan(project: Project, roots: readonly Guest[]): Guest[] {
  const dependents = dependentsOf(project);
  return dependenciesFirst(
    project,
    closure(roots, (g) => dependents.get(g.id) ?? []),
  ).reverse();
}
