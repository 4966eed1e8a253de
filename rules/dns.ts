// `dns`: the dnsmasq file the host serves, rendered from `dns_server` and
// every entry at expansion (targets/render-dnsmasq.ts), checked with
// `dnsmasq --test` before it replaces the running one. Only phx's own file
// in /etc/dnsmasq.d/ is written; /etc/resolv.conf, which the bash setup
// rewrote, is the host's.
import type { Rule } from './rule.ts';
import { hostOpsOf } from './host-ops.ts';

export const rule: Rule<'dns'> = {
  kind: 'dns',
  source: import.meta.url,
  produces: 'nothing',
  reapplied: 'never',
  async run(ctx) {
    const ops = hostOpsOf(ctx);
    if (ops === undefined) return '';
    await ops.applyDns(ctx.target.dns, ctx.op);
    return '';
  },
};
