// `snapshot`: the template snapshot clones read (`template_snapshot_name`).
// An older snapshot of that name that phx took is replaced; its description records the
// fingerprint, so `cache rebuild` can recover the record from the host.
import type { Rule } from './rule.ts';
import { OpError } from '../src/core/failure.ts';
import { isPhxLayerSnapshot, layerSnapshotDescription } from './snapshot-ownership.ts';

export const rule: Rule<'snapshot'> = {
  kind: 'snapshot',
  source: import.meta.url,
  produces: 'named-snapshot',
  reapplied: 'never',
  async run(ctx) {
    const name = ctx.target.snapshotName;
    const guest = ctx.target.guest;
    const older = ctx.guest.snapshots.find((s) => s.name === name);
    if (older) {
      // Only a snapshot phx took is replaced; one made by hand (or by the bash
      // tooling) under this name is the owner's, and stays (DESIGN §8).
      if (!isPhxLayerSnapshot(older))
        throw new OpError({
          type: 'rejected',
          reason:
            `${guest.kind === 'vm' ? 'VM' : 'CT'} ${guest.id} already has a snapshot '${name}' ` +
            `that phx did not take; phx never deletes it. Keep what you need from it, then ` +
            `remove or rename it yourself (\`${guest.kind === 'vm' ? 'qm' : 'pct'} delsnapshot ` +
            `${guest.id} ${name}\`) and build again`,
        });
      await ctx.backend.deleteSnapshot(guest, name, ctx.op);
      ctx.guest.snapshots = ctx.guest.snapshots.filter((s) => s.name !== name);
    }
    const description = layerSnapshotDescription(ctx.fingerprint, ctx.target.id);
    await ctx.backend.snapshot(guest, name, description, ctx.op);
    ctx.guest.snapshots.push({ name, description });
    return name;
  },
};
