// `settings`: reconcile the container to exactly the declared settings. It
// runs after every create, clone and rollback (Proxmox restores a snapshot's
// config with it), so when this build resumes a guest from a layer snapshot,
// the rollback happens here, before the settings are applied again.
import type { Rule } from '../src/engine/rule.ts';

export const rule: Rule = {
  kind: 'settings',
  source: import.meta.url,
  async run(ctx) {
    const guest = ctx.target.guest;
    if (ctx.resume) {
      // ZFS rolls back only to the newest snapshot: delete newer ones first.
      for (const name of ctx.resume.newer) {
        await ctx.backend.deleteSnapshot(guest, name, ctx.op);
        ctx.guest.snapshots = ctx.guest.snapshots.filter((s) => s.name !== name);
      }
      ctx.op.log(`resuming ${ctx.target.entry} from snapshot ${ctx.resume.snapshot}`);
      await ctx.backend.rollback(guest, ctx.resume.snapshot, ctx.op);
      ctx.guest.running = false;
    }
    await ctx.backend.applySettings(guest, ctx.op);
    return '';
  },
};
