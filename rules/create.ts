// `create`: a fresh container from the entry's template, or a VM from its
// image (staged on the node by the `image` target below it). A guest that
// exists under this id is an older build of this layer: it is destroyed
// first, a container's own storage volumes carried over to the new one.
import type { Rule } from './rule.ts';
import { replaceGuest } from './replace-guest.ts';
import { localImage, vmOpsOf } from './vm-ops.ts';

export const rule: Rule<'create'> = {
  kind: 'create',
  source: import.meta.url,
  produces: 'layer-snapshot',
  reapplied: 'never',
  async run(ctx) {
    const guest = ctx.target.guest;
    if (guest.kind === 'vm') {
      const ops = vmOpsOf(ctx);
      // Staged already by the image target: this finds it by its sha256 and copies nothing.
      const onNode = await ops.stageImage(await localImage(ctx.target.image, ctx), ctx.op);
      await replaceGuest(ctx, () => ops.createVm(guest, onNode, ctx.op));
    } else await replaceGuest(ctx, () => ctx.backend.create(guest, ctx.op));
    Object.assign(ctx.guest, { exists: true, running: false, snapshots: [] });
    return '';
  },
};
