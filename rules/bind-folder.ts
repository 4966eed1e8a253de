// `bind-folder`: the host folder a container's bind mount shows it, made
// with `mkdir -p` and given the owner the container's id map implies (an
// unprivileged container's root is host uid 100000 unless mapped), so the
// container can write to it and Proxmox can start the container (a missing
// bind-mount source fails the start). Only the folder itself is re-owned:
// what a container wrote inside keeps its owner.
import { OpError } from '../src/core/failure.ts';
import type { Rule } from './rule.ts';
import { hostOpsOf } from './host-ops.ts';

export const rule: Rule<'bind-folder'> = {
  kind: 'bind-folder',
  source: import.meta.url,
  produces: 'nothing',
  reapplied: 'never',
  async run(ctx) {
    const { folder, conflicts } = ctx.target;
    if (conflicts.length > 0)
      throw new OpError({
        type: 'rejected',
        reason: `the containers mounting ${folder.path} need different owners (${conflicts.join('; ')}); give their mount_points the same owner_uid/owner_gid`,
      });
    const ops = hostOpsOf(ctx);
    if (ops === undefined) return '';
    const live = await ops.folderState(folder.path, ctx.op);
    if (live?.uid === folder.uid && live.gid === folder.gid) {
      ctx.op.log(`${folder.path} exists, owned by ${folder.uid}:${folder.gid}`);
      return '';
    }
    await ops.makeFolder(folder, ctx.op);
    return '';
  },
  async present(name, ctx) {
    const ops = ctx.backend.hostOps?.();
    if (ops === undefined) return undefined;
    return (await ops.folderState(`/${name}`, ctx.op)) !== undefined;
  },
};
