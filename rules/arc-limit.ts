// `arc-limit`: `zfs.arc_max_gb` as zfs_arc_max, in phx's block of
// /etc/modprobe.d/zfs.conf (the initramfs updated when it changes, for
// boots) and written live to /sys/module/zfs/parameters/zfs_arc_max.
import type { Rule } from './rule.ts';
import { hostOpsOf } from './host-ops.ts';
import { servicePresence } from './host-service-presence.ts';

export const rule: Rule<'arc-limit'> = {
  kind: 'arc-limit',
  source: import.meta.url,
  produces: 'nothing',
  reapplied: 'never',
  present: servicePresence('arc-limit'),
  async run(ctx) {
    const ops = hostOpsOf(ctx);
    if (ops === undefined) return '';
    await ops.applyArcLimit(ctx.target.bytes, ctx.op);
    return '';
  },
};
