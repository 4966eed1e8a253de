// What the VM rules share: the backend's VM operations, the local copy of a
// VM's image (downloaded and verified, or the file it resolved to), and the
// wait for the guest agent after a start.
import { OpError } from '../src/core/failure.ts';
import type { VmOps } from '../src/backends/backend.ts';
import type { RuleContext } from './rule.ts';
import type { ResolvedImage } from '../targets/vm-image.ts';
import { defaultAgentTimeoutMs } from '../targets/vm.ts';
import { fetchImage } from './image-fetch.ts';

/** The backend's VM operations, or a refusal naming the VM: the lxc backend has no VMs. */
export function vmOpsOf(ctx: RuleContext): VmOps {
  const ops = ctx.backend.vmOps?.();
  if (ops === undefined)
    throw new OpError({
      type: 'rejected',
      reason: `VM ${ctx.target.entry}: the ${ctx.backend.kind} backend has no VMs (build VMs with the proxmox or sim backend)`,
    });
  return ops;
}

/** The verified image on this machine: its path and sha256, for VmOps.stageImage. */
export async function localImage(
  image: ResolvedImage | undefined,
  ctx: RuleContext<'image' | 'create'>,
): Promise<{ localPath: string; sha256: string }> {
  const vm = `VM ${ctx.target.entry}`;
  if (image === undefined)
    throw new OpError({
      type: 'rejected',
      reason: `${vm}: no template_image and no clone_from_vmid: nothing to create it from`,
    });
  switch (image.type) {
    case 'unresolved':
      throw new OpError({
        type: 'rejected',
        reason: `${vm}: template_image ${image.name} is not resolved: ${image.reason}`,
      });
    case 'file':
      return { localPath: image.path, sha256: image.sha256 };
    case 'url':
      return { localPath: await fetchImage(image, ctx.op), sha256: image.sha256 };
  }
}

/**
 * After a start: wait until the VM's guest agent answers, since every step
 * that runs in a VM goes through it. Its failure ('agent-timeout') names the
 * VM and the wait, and leaves the VM as it is (no layer snapshot follows).
 */
export async function waitForAgent(ctx: RuleContext): Promise<void> {
  const guest = ctx.target.guest;
  const timeoutMs = ctx.target.agentTimeoutMs ?? defaultAgentTimeoutMs;
  ctx.op.log(`VM ${guest.id}: waiting up to ${Math.round(timeoutMs / 1000)}s for its guest agent`);
  await vmOpsOf(ctx).waitForAgent(guest, timeoutMs, ctx.op);
}
