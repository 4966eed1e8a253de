// `snapshot`: the template snapshot clones read (`template_snapshot_name`).
// An older snapshot of that name is replaced; its description records the
// fingerprint, so `cache rebuild` can recover the record from the host.
import type { Rule } from '../src/engine/rule.ts';
import { layerSnapshotDescription } from '../src/engine/fingerprint.ts';

export const rule: Rule = {
  kind: 'snapshot',
  source: import.meta.url,
  async run(ctx) {
    const name = ctx.target.snapshotName;
    if (!name) throw new Error(`${ctx.target.id} has no snapshot name`);
    const guest = ctx.target.guest;
    if (ctx.guest.snapshots.some((s) => s.name === name)) {
      await ctx.backend.deleteSnapshot(guest, name, ctx.op);
      ctx.guest.snapshots = ctx.guest.snapshots.filter((s) => s.name !== name);
    }
    const description = layerSnapshotDescription(ctx.fingerprint, ctx.target.id);
    await ctx.backend.snapshot(guest, name, description, ctx.op);
    ctx.guest.snapshots.push({ name, description });
    return name;
  },
};
