// Expansion of a whole project: every container entry into its targets,
// clone sources before their clones so a clone can name its source's output.
// The host's targets (pools, datasets, storage ids) come first, and every
// guest's base (create/clone) waits for the storages it names. VMs expand as
// containers do, with their image first (targets/vm.ts). The rest of host
// setup and stacks are not built by this version.
import type { Guest, Project } from '../src/model/model.ts';
import type { GuestId } from '../src/core/ids.ts';
import type { Target } from './target.ts';
import type { TargetId } from '../src/core/target-id.ts';
import { expandLxc } from './lxc.ts';
import { defaultAgentTimeoutMs, expandVm } from './vm.ts';
import { resolveImage, type ImagePlaces, type ResolvedImage } from './vm-image.ts';
import { join } from 'node:path';
import { expandHost } from './host.ts';
import { expandHostSetup, linkHostSetup } from './host-setup.ts';
import { expandGenerated } from './generated.ts';
import type { Edge } from './target.ts';

export interface Expansion {
  readonly targets: Target[];
}

export interface ExpandOptions {
  /**
   * Whether the host is phx's to set up: false for the lxc backend, whose
   * containers run on a machine phx does not manage (no host targets, no
   * storage edges).
   */
  readonly host?: boolean;
  /** Where VM images are found (default: `<configDir>/images`, no build file entries, no hash cache). */
  readonly images?: ImagePlaces;
  /** The build file's `vm.agentTimeoutS`, in ms. */
  readonly agentTimeoutMs?: number;
}

export async function expandProject(
  project: Project,
  opts: ExpandOptions = {},
): Promise<Expansion> {
  const cloneOutputs = new Map<GuestId, TargetId>();
  const host = opts.host === false ? undefined : expandHost(project);
  const targets: Target[] = [
    ...(host?.targets ?? []),
    ...(opts.host === false ? [] : expandHostSetup(project)),
  ];
  const visiting = new Set<GuestId>();
  const images = await resolveImages(project, opts.images);

  const visit = async (guest: Guest): Promise<void> => {
    if (cloneOutputs.has(guest.id) || visiting.has(guest.id)) return;
    visiting.add(guest.id);
    let sourceOutput: TargetId | undefined;
    if (guest.cloneFrom !== undefined) {
      const source = project.guests.get(guest.cloneFrom);
      if (source && source.kind === guest.kind) {
        await visit(source);
        sourceOutput = cloneOutputs.get(source.id);
      }
    }
    const expanded =
      guest.kind === 'lxc'
        ? await expandLxc(project, guest, sourceOutput)
        : await expandVm(project, guest, sourceOutput, {
            images,
            agentTimeoutMs: opts.agentTimeoutMs ?? defaultAgentTimeoutMs,
          });
    targets.push(
      ...expanded.targets.map((t) =>
        t.layer === 0 && host
          ? {
              ...t,
              deps: [
                ...t.deps,
                ...storageEdges(guest, t.id, host.storages),
                ...host.guestEdges(guest.id, t.id),
              ],
            }
          : t,
      ),
    );
    cloneOutputs.set(guest.id, expanded.cloneOutput);
  };

  for (const guest of project.guests.values()) await visit(guest);
  // Files spanning entries, then the edges to the host's driver and services (host-setup.ts).
  return { targets: linkHostSetup([...targets, ...expandGenerated(project, targets)]) };
}

/** Each `template_image` a VM that clones nothing names, resolved once. */
async function resolveImages(
  project: Project,
  places: ImagePlaces | undefined,
): Promise<Map<string, ResolvedImage>> {
  const where = places ?? {
    root: join(project.configDir, '..'),
    imagesDir: join(project.configDir, 'images'),
    sources: {},
  };
  const out = new Map<string, ResolvedImage>();
  for (const g of project.guests.values()) {
    if (g.kind !== 'vm' || g.cloneFrom !== undefined || g.template === undefined) continue;
    if (out.has(g.template)) continue;
    out.set(g.template, await resolveImage(g.template, where));
  }
  return out;
}

/**
 * The storages a container's base reads: its rootfs storage and each
 * `zfs_volumes[].pool`, when the hypervisor config defines them (a storage
 * it does not define is the host's own, like `local`). `order` edges: the
 * storage must exist before the guest is made, but only its id is what the
 * guest reads, and that id is already in the guest's own config slice, so a
 * storage re-applied (new content types) does not rebuild the guest.
 */
function storageEdges(guest: Guest, to: TargetId, storages: ReadonlyMap<string, TargetId>): Edge[] {
  const volumes = guest.config.zfs_volumes;
  const named = [
    guest.storagePool,
    ...(Array.isArray(volumes) ? volumes.map((v) => (v as { pool?: unknown }).pool) : []),
  ];
  const ids = new Set(named.filter((n): n is string => typeof n === 'string'));
  return [...ids].flatMap((n) => {
    const from = storages.get(n);
    return from === undefined ? [] : [{ from, to, kind: 'order' as const }];
  });
}
