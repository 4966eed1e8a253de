// `clone`: a full clone of the source's template snapshot (or, when the source
// names none, of its last layer snapshot). Proxmox locks the source meanwhile:
// the target holds the source's guest pool so nothing else touches it.
import type { Rule } from './rule.ts';
import { OpError } from '../src/core/failure.ts';
import { replaceGuest } from './replace-guest.ts';

export const rule: Rule<'clone'> = {
  kind: 'clone',
  source: import.meta.url,
  produces: 'layer-snapshot',
  reapplied: 'never',
  async run(ctx) {
    const edge = ctx.target.deps.find((d) => d.kind === 'clone');
    const source = ctx.target.cloneSource;
    const snapshot = edge ? ctx.outputOf(edge.from) : undefined;
    if (!snapshot) {
      throw new OpError({
        type: 'rejected',
        reason: `clone source of ${ctx.target.entry} has no snapshot to clone from`,
      });
    }
    // The old build goes, its own storage volumes carried over to the new one.
    await replaceGuest(ctx, () => ctx.backend.clone(source.id, snapshot, ctx.target.guest, ctx.op));
    Object.assign(ctx.guest, { exists: true, running: false, snapshots: [] });
    return '';
  },
};
