// `firewall`: the guest's rules written whole, so a removed rule is removed.
import type { Rule } from './rule.ts';

export const rule: Rule<'firewall'> = {
  kind: 'firewall',
  source: import.meta.url,
  produces: 'nothing',
  reapplied: 'when-recreated',
  async run(ctx) {
    await ctx.backend.writeFirewall(ctx.target.guest, ctx.op);
    return '';
  },
};
