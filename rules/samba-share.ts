// `samba-share`: one share's section in phx's part of smb.conf, checked by
// testparm before Samba reloads; its folder must exist (the dataset that
// provides it is ordered first).
import type { Rule } from './rule.ts';
import { hostOpsOf } from './host-ops.ts';
import { servicePresence } from './host-service-presence.ts';

export const rule: Rule<'samba-share'> = {
  kind: 'samba-share',
  source: import.meta.url,
  produces: 'nothing',
  reapplied: 'never',
  present: servicePresence('samba-share'),
  async run(ctx) {
    const ops = hostOpsOf(ctx);
    if (ops === undefined) return '';
    await ops.applySambaShare(ctx.target.share, ctx.op);
    return '';
  },
};
