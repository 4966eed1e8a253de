// `app`: the entry's application script, the last layer before the template
// snapshot. Only the script, the shared folders of features/apps/ and
// features/lib/ are pushed, so one app's edit never changes another app's inputs.
import { join } from 'node:path';
import type { Rule } from './rule.ts';
import { appSharedDirs } from '../targets/files.ts';
import { runScriptInGuest } from './guest-ops.ts';
import { stage } from './stage.ts';

export const rule: Rule<'app'> = {
  kind: 'app',
  source: import.meta.url,
  produces: 'layer-snapshot',
  reapplied: 'never',
  async run(ctx) {
    const { pushDir, script } = ctx.target;
    const parts = [
      { from: join(pushDir, script), to: script },
      ...appSharedDirs(pushDir).map((d) => ({ from: join(pushDir, d), to: d })),
    ];
    const staged = await stage(ctx.scratchDir, ctx.project.featuresDir, parts);
    await runScriptInGuest(ctx, staged, script, {});
    return '';
  },
};
