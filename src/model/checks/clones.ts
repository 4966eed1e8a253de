// Clone edges: the source must exist and be of the same kind (`pct clone`
// copies a CT, `qm clone` a VM), and clone chains must end.
import type { CheckContext } from './context.ts';
import { defined, find, guestLabel, label, placeOf, reportAt } from './context.ts';
import { describeCycle, findCycles } from './cycles.ts';

export function cloneKey(kind: 'lxc' | 'vm'): string {
  return kind === 'lxc' ? 'clone_from_ctid' : 'clone_from_vmid';
}

export function checkClones(ctx: CheckContext): void {
  for (const p of ctx.placed) {
    const { guest } = p;
    const from = guest.cloneFrom;
    if (from === undefined) continue;
    if (defined(ctx, from, guest.kind)) continue;
    const other = find(ctx, from);
    const message =
      other === undefined
        ? missingSource(guest.kind, guest.id, from)
        : `${guestLabel(guest)} clones ${from}, which is a ${other.guest.kind === 'lxc' ? 'CT' : 'VM'} ` +
          `(${placeOf(other)}): a ${guest.kind === 'lxc' ? 'CT' : 'VM'} ` +
          `can only clone a ${guest.kind === 'lxc' ? 'CT' : 'VM'}`;
    reportAt(ctx, p, [cloneKey(guest.kind)], 'clone-source', message);
  }
  for (const kind of ['lxc', 'vm'] as const) {
    const ofKind = ctx.placed.filter((p) => p.guest.kind === kind);
    const sourceOf = new Map(
      ofKind.map((p) => [p.guest.id as number, p.guest.cloneFrom as number | undefined]),
    );
    const cycles = findCycles(
      ofKind.map((p) => p.guest.id),
      (id) => {
        const s = sourceOf.get(id);
        return s !== undefined && sourceOf.has(s) ? [s] : [];
      },
    );
    for (const cycle of cycles) {
      const first = find(ctx, cycle[0]!, kind)!;
      reportAt(
        ctx,
        first,
        [cloneKey(kind)],
        'clone-cycle',
        `clone cycle: ${describeCycle(cycle, 'clones')}`,
      );
    }
  }
}

/**
 * A VM's pointer is an array index (`/vms/1/clone_from_vmid`), so its
 * message names the VM and the key; a CT's pointer already holds its id.
 */
function missingSource(kind: 'lxc' | 'vm', id: number, from: number): string {
  return kind === 'vm'
    ? `VM ${id}: ${cloneKey(kind)} ${from} is not defined`
    : `${label(kind, from)} is not defined`;
}

/** The clone ancestors of a guest, nearest first (stops at a cycle or a missing source). */
export function cloneAncestors(
  ctx: CheckContext,
  start: { kind: 'lxc' | 'vm'; cloneFrom?: number; id: number },
) {
  const chain = [];
  const seen = new Set<number>([start.id]);
  let from = start.cloneFrom;
  while (from !== undefined && !seen.has(from)) {
    seen.add(from);
    const p = find(ctx, from, start.kind);
    if (p === undefined) break;
    chain.push(p);
    from = p.guest.cloneFrom;
  }
  return chain;
}
