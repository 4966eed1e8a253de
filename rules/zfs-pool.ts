// `zfs-pool`: a pool on its disks. An existing pool is adopted as it is
// (never re-created, never wiped); creating one destroys what its disks
// hold, so it runs only for a pool named by --allow-destructive.
import { OpError } from '../src/core/failure.ts';
import type { Rule } from './rule.ts';
import { hostOpsOf } from './host-ops.ts';

export const rule: Rule<'zfs-pool'> = {
  kind: 'zfs-pool',
  source: import.meta.url,
  produces: 'nothing',
  reapplied: 'never',
  async run(ctx) {
    const ops = hostOpsOf(ctx);
    if (ops === undefined) return '';
    const { pool } = ctx.target;
    if (await ops.poolExists(pool.name, ctx.op)) {
      ctx.op.log(`pool ${pool.name} exists: adopted as it is (its disks are not touched)`);
      return '';
    }
    if (!ctx.allowDestructive.has(pool.name)) {
      throw new OpError({
        type: 'rejected',
        reason:
          `creating pool ${pool.name} destroys what its disks hold (${pool.disks.join(', ')}); ` +
          `re-run with --allow-destructive ${pool.name} to create it`,
      });
    }
    await ops.createPool(pool, ctx.op);
    return '';
  },
  async present(name, ctx) {
    return ctx.backend.hostOps?.()?.poolExists(name, ctx.op);
  },
};
