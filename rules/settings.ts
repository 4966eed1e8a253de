// `settings`: reconcile the container to exactly the declared settings. It
// runs after every create, clone and rollback (Proxmox restores a snapshot's
// config with it), so when this build resumes a guest from a layer snapshot,
// the rollback happens here, before the settings are applied again.
import { OpError } from '../src/core/failure.ts';
import type { Rule, RuleContext } from './rule.ts';
import { ForeignSnapshotsError, isPhxLayerSnapshot } from './snapshot-ownership.ts';

export const rule: Rule<'settings'> = {
  kind: 'settings',
  source: import.meta.url,
  produces: 'nothing',
  reapplied: 'when-any-layer-rebuilds',
  async run(ctx) {
    if (ctx.resume) await resume(ctx, ctx.resume.snapshot, ctx.resume.newer);
    await ctx.backend.applySettings(ctx.target.guest, ctx.op);
    return '';
  },
};

/**
 * Roll the guest back to `snapshot`. ZFS rolls back only to the newest
 * snapshot, so the newer ones go first, but only phx's own layer snapshots:
 * a snapshot phx did not make is kept, and where the storage cannot roll
 * back past it the build stops for this guest naming it.
 */
async function resume(ctx: RuleContext, snapshot: string, newer: readonly string[]): Promise<void> {
  const guest = ctx.target.guest;
  const infoOf = (name: string) =>
    ctx.guest.snapshots.find((s) => s.name === name) ?? { name, description: '' };
  const foreign = newer.filter((name) => !isPhxLayerSnapshot(infoOf(name)));
  for (const name of newer) {
    if (foreign.includes(name)) continue;
    await ctx.backend.deleteSnapshot(guest, name, ctx.op);
    ctx.guest.snapshots = ctx.guest.snapshots.filter((s) => s.name !== name);
  }
  if (foreign.length > 0)
    ctx.op.log(`keeping snapshot(s) ${foreign.join(', ')}: phx did not make them`);
  ctx.op.log(`resuming ${ctx.target.entry} from snapshot ${snapshot}`);
  try {
    await ctx.backend.rollback(guest, snapshot, ctx.op);
  } catch (e) {
    if (foreign.length === 0 || !(e instanceof OpError) || e.failure.type === 'cancelled') throw e;
    throw new ForeignSnapshotsError({
      type: 'foreign-snapshots',
      guest: guest.id,
      resumeFrom: snapshot,
      foreign: [...foreign].reverse(),
      cause: e.message,
    });
  }
  ctx.guest.running = false;
}
