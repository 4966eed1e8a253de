// `feature`: one layer. The feature's folder, with features/lib/ as lib/, is
// pushed into the guest and its install.sh runs there as root (DESIGN §1).
import type { Rule } from './rule.ts';
import { runScriptInGuest } from './guest-ops.ts';
import { stage } from './stage.ts';

export const rule: Rule<'feature'> = {
  kind: 'feature',
  source: import.meta.url,
  produces: 'layer-snapshot',
  reapplied: 'never',
  async run(ctx) {
    const { feature } = ctx.target;
    const staged = await stage(ctx.scratchDir, ctx.project.featuresDir, [
      { from: feature.manifest.dir, to: '' },
    ]);
    await runScriptInGuest(ctx, staged, 'install.sh', feature.ref.params);
    return '';
  },
};
