// `pve-user`: `<users.username>@pam` in Proxmox with the Administrator role
// on `/`, as the bash setup granted it. Added when missing, the ACL set
// again (pveum acl modify is idempotent); never removed.
import type { Rule } from './rule.ts';
import { hostOpsOf } from './host-ops.ts';
import { servicePresence } from './host-service-presence.ts';

export const rule: Rule<'pve-user'> = {
  kind: 'pve-user',
  source: import.meta.url,
  produces: 'nothing',
  reapplied: 'never',
  present: servicePresence('pve-user'),
  async run(ctx) {
    const ops = hostOpsOf(ctx);
    if (ops === undefined) return '';
    await ops.applyPveUser(ctx.target.pveUser, ctx.op);
    return '';
  },
};
