// `create`: a fresh container from the entry's template. A container that
// exists under this id is an older build of this layer: it is destroyed first,
// its own storage volumes carried over to the new one.
import type { Rule } from './rule.ts';
import { replaceGuest } from './replace-guest.ts';

export const rule: Rule<'create'> = {
  kind: 'create',
  source: import.meta.url,
  produces: 'layer-snapshot',
  reapplied: 'never',
  async run(ctx) {
    await replaceGuest(ctx, () => ctx.backend.create(ctx.target.guest, ctx.op));
    Object.assign(ctx.guest, { exists: true, running: false, snapshots: [] });
    return '';
  },
};
