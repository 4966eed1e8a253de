// `image`: a VM's disk image, verified by content (downloaded once for a
// URL) and staged on the node, which keeps it by sha256: the create below
// it imports it as the boot disk. A sim stand-in image is refused by any
// backend but the sim, so it can never become a real VM's disk.
import { open } from 'node:fs/promises';
import { OpError } from '../src/core/failure.ts';
import type { Rule } from './rule.ts';
import { simStandInMark } from '../targets/vm-image.ts';
import { localImage, vmOpsOf } from './vm-ops.ts';

export const rule: Rule<'image'> = {
  kind: 'image',
  source: import.meta.url,
  produces: 'nothing',
  reapplied: 'never',
  async run(ctx) {
    const ops = vmOpsOf(ctx);
    const image = await localImage(ctx.target.image, ctx);
    if (ctx.backend.kind !== 'sim' && (await isSimStandIn(image.localPath)))
      throw new OpError({
        type: 'rejected',
        reason:
          `VM ${ctx.target.entry}: ${image.localPath} is the sim's stand-in image (it starts with ` +
          `${simStandInMark}), not a disk a VM can boot; give the real image in phoenix.build.ts images`,
      });
    const onNode = await ops.stageImage(image, ctx.op);
    ctx.op.log(
      `image ${ctx.target.image.name} (sha256 ${image.sha256}) is on the node as ${onNode}`,
    );
    return '';
  },
};

async function isSimStandIn(path: string): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(simStandInMark.length);
    await file.read(head, 0, head.length, 0);
    return head.toString('latin1') === simStandInMark;
  } finally {
    await file.close();
  }
}
