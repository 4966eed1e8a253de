// `linux-user`: the account of `users` (useradd when missing, marked
// `phx-managed`; an existing one is adopted, and no account is ever
// deleted), its sudo membership and authorized key. `password_hash` is a
// crypt hash fed to `chpasswd -e` on stdin; `NOT_SET` (Phoenix's value) or
// absent means no password, so the account logs in by key only.
import type { Rule } from './rule.ts';
import { hostOpsOf } from './host-ops.ts';
import { servicePresence } from './host-service-presence.ts';
import { hostSecret } from './host-secret.ts';

export const rule: Rule<'linux-user'> = {
  kind: 'linux-user',
  source: import.meta.url,
  produces: 'nothing',
  reapplied: 'never',
  present: servicePresence('linux-user'),
  async run(ctx) {
    const ops = hostOpsOf(ctx);
    if (ops === undefined) return '';
    const hash = hostSecret(ctx, ctx.target.passwordPointer, ['NOT_SET']);
    await ops.applyLinuxUser(ctx.target.user, hash, ctx.op);
    return '';
  },
};
