// How one VM entry expands into targets (issue 11): the container's chain
// with the VM's keys (targets/keys.ts `vmKeys`),
//   image → create|clone → feature… → app → snapshot/<template_snapshot_name>
// plus settings, check and firewall beside it. A VM made from an image has
// an `image` target (`vm/9000/image`) whose fingerprint is the image's
// sha256; it reaches the create through a `clone` edge, so a new image
// rebuilds the template, and through the clone edges every clone of it.
// `clone`, not `layer`: the VM's disk is a copy of the image as a clone's
// is a copy of its source's snapshot, and as for a clone, a producer that
// only runs again (a lost record: `cache rebuild` cannot read an image's
// record off a snapshot) must not re-create the guest, only a new image must.
import type { Guest, Project } from '../src/model/model.ts';
import { guestTargetId, type TargetId } from '../src/core/target-id.ts';
import type { CreateTarget, ImageTarget, Target } from './target.ts';
import { expandChain, type GuestTargets } from './lxc.ts';
import { vmKeys } from './keys.ts';
import { configSlice } from './pointers.ts';
import type { ResolvedImage } from './vm-image.ts';

export interface VmExpandOptions {
  /** `template_image` name → where it resolved (targets/vm-image.ts). */
  readonly images: ReadonlyMap<string, ResolvedImage>;
  /** How long a step that starts a VM waits for its guest agent. */
  readonly agentTimeoutMs: number;
}

/** The build file's default wait for a VM's guest agent (`vm.agentTimeoutS`). */
export const defaultAgentTimeoutMs = 300_000;

/**
 * The fingerprint key of the image's content, beside the entry's
 * `template_image` it is the content of: a plan names it
 * `template_image#sha256` at the VM's entry, where the image is named.
 */
export const imageKey = (guest: Guest): string => `${guest.source.pointer}/template_image#sha256`;

export async function expandVm(
  project: Project,
  guest: Guest,
  sourceOutput: TargetId | undefined,
  opts: VmExpandOptions,
): Promise<GuestTargets> {
  const chain = await expandChain(project, guest, sourceOutput, vmKeys);
  const targets: Target[] = chain.targets.map((t) => ({
    ...t,
    agentTimeoutMs: opts.agentTimeoutMs,
  }));
  const base = targets[0];
  const name = guest.template;
  if (base?.kind !== 'create' || name === undefined) return { ...chain, targets };
  // Validation requires a template_image of a VM that clones nothing.
  const image = opts.images.get(name) ?? {
    type: 'unresolved',
    name,
    reason: `image ${name} was not resolved`,
  };
  const id = guestTargetId('vm', guest.id, 'image');
  const imageTarget: ImageTarget = {
    id,
    entry: String(guest.id),
    kind: 'image',
    guest,
    config: {
      ...configSlice(guest, project.lxcRoot, ['/template_image']),
      // The content, not where it was found: the same bytes from a URL or a
      // file, at any path, are the same input.
      [imageKey(guest)]: image.type === 'unresolved' ? null : image.sha256,
    },
    files: [],
    deps: [],
    // Two VMs from one image stage it one after the other: the second copies nothing.
    pools: [`image:${name}`],
    agentTimeoutMs: opts.agentTimeoutMs,
    image,
  };
  const create: CreateTarget = {
    ...base,
    deps: [...base.deps, { from: id, to: base.id, kind: 'clone' }],
    image,
  };
  return { ...chain, targets: [imageTarget, create, ...targets.slice(1)] };
}
