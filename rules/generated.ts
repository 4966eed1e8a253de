// `generated`: a file rendered from every entry (targets/generated.ts),
// written into the guest that serves it, checked there, and the service
// reloaded. The text is the target's own (its digest is in the fingerprint),
// so this rule renders nothing.
import type { Rule } from './rule.ts';
import { ensureRunning } from './guest-ops.ts';

export const rule: Rule<'generated'> = {
  kind: 'generated',
  source: import.meta.url,
  produces: 'nothing',
  // Its layer edge already re-runs it after any rebuild of the guest's chain.
  reapplied: 'never',
  async run(ctx) {
    const { guest, file } = ctx.target;
    await ensureRunning(ctx);
    await ctx.backend.pushFile(guest, file.content, file.path, ctx.op);
    for (const argv of [file.check, file.reload])
      if (argv !== undefined) await ctx.backend.exec(guest, { cwd: '/', argv, env: {} }, ctx.op);
    ctx.op.log(`wrote ${file.path}`);
    return '';
  },
};
