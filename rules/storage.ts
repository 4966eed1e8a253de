// `storage`: a Proxmox storage id on its dataset, added when missing, else
// its content types set again. A storage is never removed (the bash setup
// `pvesm remove`d every storage it did not know; phx destroys nothing that
// is not its own).
import type { Rule } from './rule.ts';
import { hostOpsOf } from './host-ops.ts';

export const rule: Rule<'storage'> = {
  kind: 'storage',
  source: import.meta.url,
  produces: 'nothing',
  reapplied: 'never',
  async run(ctx) {
    const ops = hostOpsOf(ctx);
    if (ops === undefined) return '';
    const { storage } = ctx.target;
    if (await ops.storageExists(storage.id, ctx.op)) await ops.setStorage(storage, ctx.op);
    else await ops.addStorage(storage, ctx.op);
    return '';
  },
  async present(name, ctx) {
    return ctx.backend.hostOps?.()?.storageExists(name, ctx.op);
  },
};
