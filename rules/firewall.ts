// `firewall`: the guest's rules written whole, so a removed rule is removed.
import type { Rule } from '../src/engine/rule.ts';

export const rule: Rule = {
  kind: 'firewall',
  source: import.meta.url,
  async run(ctx) {
    await ctx.backend.writeFirewall(ctx.target.guest, ctx.op);
    return '';
  },
};
