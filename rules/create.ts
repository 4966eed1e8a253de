// `create`: a fresh container from the entry's template. A container that
// exists under this id is an older build of this layer: it is destroyed first.
import type { Rule } from '../src/engine/rule.ts';
import { discardGuest } from './guest-ops.ts';

export const rule: Rule = {
  kind: 'create',
  source: import.meta.url,
  async run(ctx) {
    await discardGuest(ctx);
    await ctx.backend.create(ctx.target.guest, ctx.op);
    Object.assign(ctx.guest, { exists: true, running: false, snapshots: [] });
    return '';
  },
};
