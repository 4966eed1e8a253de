// `cluster-firewall`: /etc/pve/firewall/cluster.fw from the host firewall
// block (enable, input and output policies, global rules), written whole.
// The bash setup also copied every guest's rules in; here they stay in each
// guest's own .fw file (the `firewall` targets), so a guest rule edit does
// not rewrite the cluster file.
import type { Rule } from './rule.ts';
import { hostOpsOf } from './host-ops.ts';
import { servicePresence } from './host-service-presence.ts';

export const rule: Rule<'cluster-firewall'> = {
  kind: 'cluster-firewall',
  source: import.meta.url,
  produces: 'nothing',
  reapplied: 'never',
  present: servicePresence('cluster-firewall'),
  async run(ctx) {
    const ops = hostOpsOf(ctx);
    if (ops === undefined) return '';
    await ops.writeClusterFirewall(ctx.target.firewall, ctx.op);
    return '';
  },
};
