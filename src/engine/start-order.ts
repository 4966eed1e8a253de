// Start order (DESIGN §4, `order` edges): guests marked start_at_boot, in
// boot_order, each after the guests it names in `dependencies`. Templates
// (guests others clone from, or marked is_template) are never started.
import type { Guest, Project } from '../model/model.ts';
import type { GuestId } from '../core/ids.ts';

export function templatesOf(project: Project): Set<GuestId> {
  const out = new Set<GuestId>();
  for (const g of project.guests.values()) {
    if (g.isTemplate) out.add(g.id);
    if (g.cloneFrom !== undefined) out.add(g.cloneFrom);
  }
  return out;
}

/** The guests to start, dependencies first, then by boot_order and id. */
export function startOrder(project: Project, candidates: readonly Guest[]): Guest[] {
  const templates = templatesOf(project);
  const chosen = new Map(
    candidates.filter((g) => g.startAtBoot && !templates.has(g.id)).map((g) => [g.id, g] as const),
  );
  const rank = (g: Guest) => [g.bootOrder ?? Number.MAX_SAFE_INTEGER, g.id] as const;
  const byRank = (a: Guest, b: Guest) => rank(a)[0] - rank(b)[0] || rank(a)[1] - rank(b)[1];
  const out: Guest[] = [];
  const done = new Set<GuestId>();
  const visiting = new Set<GuestId>();
  const visit = (g: Guest) => {
    if (done.has(g.id) || visiting.has(g.id)) return; // cycles are refused by validation
    visiting.add(g.id);
    const deps = g.dependencies
      .map((d) => chosen.get(d))
      .filter((d): d is Guest => d !== undefined);
    for (const d of deps.sort(byRank)) visit(d);
    done.add(g.id);
    out.push(g);
  };
  for (const g of [...chosen.values()].sort(byRank)) visit(g);
  return out;
}
