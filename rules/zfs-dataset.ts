// `zfs-dataset`: created with its properties when missing, else its
// properties set again (`zfs set` is idempotent); a property phx set and the
// config dropped is `zfs inherit`ed, one set by hand is left alone
// (HostOps.setProperties).
import type { Rule } from './rule.ts';
import { hostOpsOf } from './host-ops.ts';

export const rule: Rule<'zfs-dataset'> = {
  kind: 'zfs-dataset',
  source: import.meta.url,
  produces: 'nothing',
  reapplied: 'never',
  async run(ctx) {
    const ops = hostOpsOf(ctx);
    if (ops === undefined) return '';
    const { dataset } = ctx.target;
    if (await ops.datasetExists(dataset.path, ctx.op)) await ops.setProperties(dataset, ctx.op);
    else await ops.createDataset(dataset, ctx.op);
    return '';
  },
  async present(name, ctx) {
    return ctx.backend.hostOps?.()?.datasetExists(name, ctx.op);
  },
};
