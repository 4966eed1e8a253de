// What a VM is made from: a VM that clones nothing is created from its
// `template_image`, which phx looks up by name (the build file's `images`,
// else `images/<name>` in the configs folder), so the name must be a plain
// file name: never a path that leads out of that folder. (A VM with neither
// an image nor a clone source fails its create target, saying so: a blank
// VM is a thing Proxmox can make, phx does not yet.)
import type { CheckContext } from './context.ts';
import { reportAt } from './context.ts';

/** A file name: letters, digits, `._+-`, not starting with a dot. */
const imageName = /^[A-Za-z0-9_+-][A-Za-z0-9._+-]*$/;

export function checkVmBases(ctx: CheckContext): void {
  for (const p of ctx.placed) {
    const { guest } = p;
    if (guest.kind !== 'vm') continue;
    const image = guest.template;
    if (image !== undefined && !imageName.test(image))
      reportAt(
        ctx,
        p,
        ['template_image'],
        'vm-image-name',
        `VM ${guest.id}: template_image "${image}" must be a file name (letters, digits, . _ + -, not starting with a dot), looked up in phoenix.build.ts images or the configs folder's images/`,
      );
  }
}
