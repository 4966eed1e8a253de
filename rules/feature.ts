// `feature`: one layer. The feature's folder is pushed into the guest and its
// install.sh runs there as root (DESIGN §1 run contract).
import type { Rule } from '../src/engine/rule.ts';
import { runScriptInGuest } from './guest-ops.ts';

export const rule: Rule = {
  kind: 'feature',
  source: import.meta.url,
  async run(ctx) {
    const { feature, pushDir } = ctx.target;
    if (!feature || !pushDir) throw new Error(`${ctx.target.id} is not a feature target`);
    await runScriptInGuest(ctx, pushDir, 'install.sh', feature.ref.params);
    return '';
  },
};
