// `samba-user`: the Samba account of `samba.user` (`smbpasswd -a`, the
// password on stdin). The password is `samba.password`, a secret reference;
// Phoenix's config has none (its script held a literal), and without one
// the account is not added: the build log says so, and setting the
// reference later changes this target's slice, so the next build adds it.
import type { Rule } from './rule.ts';
import { hostOpsOf } from './host-ops.ts';
import { servicePresence } from './host-service-presence.ts';
import { hostSecret } from './host-secret.ts';

export const rule: Rule<'samba-user'> = {
  kind: 'samba-user',
  source: import.meta.url,
  produces: 'nothing',
  reapplied: 'never',
  present: servicePresence('samba-user'),
  async run(ctx) {
    const ops = hostOpsOf(ctx);
    if (ops === undefined) return '';
    const { sambaUser, passwordPointer } = ctx.target;
    const password = hostSecret(ctx, passwordPointer);
    if (password === undefined)
      ctx.op.log(
        `samba user ${sambaUser.name}: no ${passwordPointer} in the hypervisor config; ` +
          'the Samba account is not added (set it to env:NAME or file:PATH)',
      );
    await ops.applySambaUser(sambaUser, password, ctx.op);
    return '';
  },
};
