// `feature`: one layer. The feature's folder, with features/lib/ as lib/, is
// pushed into the guest and its install.sh runs there as root (DESIGN §1).
import type { Rule } from '../src/engine/rule.ts';
import { runScriptInGuest } from './guest-ops.ts';
import { stage } from './stage.ts';

export const rule: Rule = {
  kind: 'feature',
  source: import.meta.url,
  async run(ctx) {
    const { feature, pushDir } = ctx.target;
    if (!feature || !pushDir) throw new Error(`${ctx.target.id} is not a feature target`);
    const staged = await stage(ctx.scratchDir, ctx.project.featuresDir, [
      { from: pushDir, to: '' },
    ]);
    await runScriptInGuest(ctx, staged, 'install.sh', feature.ref.params);
    return '';
  },
};
