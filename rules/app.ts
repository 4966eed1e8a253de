// `app`: the entry's application script, the last layer before the template
// snapshot. Only the script and the shared folders of features/apps/ are
// pushed, so one app's edit never changes another app's inputs.
import { cp, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Rule } from '../src/engine/rule.ts';
import { appSharedDirs } from '../targets/files.ts';
import { runScriptInGuest } from './guest-ops.ts';

export const rule: Rule = {
  kind: 'app',
  source: import.meta.url,
  async run(ctx) {
    const { pushDir, script } = ctx.target;
    if (!pushDir || !script) throw new Error(`${ctx.target.id} is not an app target`);
    const staged = join(ctx.scratchDir, 'app');
    await rm(staged, { recursive: true, force: true });
    await mkdir(staged, { recursive: true });
    await cp(join(pushDir, script), join(staged, script), { preserveTimestamps: true });
    for (const dir of appSharedDirs(pushDir)) {
      await cp(join(pushDir, dir), join(staged, dir), {
        recursive: true,
        preserveTimestamps: true,
      });
    }
    await runScriptInGuest(ctx, staged, script, {});
    return '';
  },
};
