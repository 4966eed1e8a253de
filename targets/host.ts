// The host's own targets from the hypervisor config (issue 10): one per ZFS
// pool, per dataset, per Proxmox storage id on a dataset, each fingerprinted
// by its own slice of the file, so editing one dataset's properties
// re-applies that dataset and nothing else. Pointers are by index
// (`/zfs/datasets/3/properties`): reordering the list rebuilds what moved.
import { relative } from 'node:path';
import type { Project } from '../src/model/model.ts';
import type { HypervisorFile } from '../src/model/schema/hypervisor.ts';
import { hostTargetId, type TargetId } from '../src/core/target-id.ts';
import type { Edge, HostTarget, StorageTarget, ZfsDatasetTarget, ZfsPoolTarget } from './target.ts';
import { datasetKeys, datasetStorageKeys, poolPointer } from './keys.ts';
import { expandHostServices } from './host-services.ts';
import { expandHostGuests } from './host-guests.ts';
import type { GuestId } from '../src/core/ids.ts';

export interface HostExpansion {
  readonly targets: HostTarget[];
  /** Storage id → its target, for the edges of the guests that name it. */
  readonly storages: ReadonlyMap<string, TargetId>;
  /** Edges into a container's base from the subid, folder and profile targets it needs (host-guests.ts). */
  readonly guestEdges: (guest: GuestId, to: TargetId) => Edge[];
}

/**
 * The storage id a dataset gets: `<pool>-<dataset>`, as the bash setup named
 * them (`quickOS-lxc-disks`, the ids `proxmox_storage_ids` lists).
 */
export function storageIdOf(pool: string, dataset: string): string {
  return `${pool}-${dataset.replace(/\//g, '-')}`;
}

function slice(base: string, keys: readonly string[], value: Record<string, unknown>) {
  return Object.fromEntries(keys.map((k) => [`${base}/${k}`, value[k] ?? null]));
}

export function expandHost(project: Project): HostExpansion {
  const zfs = (project.host as HypervisorFile).zfs;
  const file = relative(process.cwd(), project.files.hypervisor) || project.files.hypervisor;
  const targets: HostTarget[] = [];
  const pools = new Map<string, TargetId>();
  const storages = new Map<string, TargetId>();
  const common = { entry: 'host' as const, files: [], pools: ['host'] };

  (zfs?.pools ?? []).forEach((p, i) => {
    const id = hostTargetId('zfs-pool', p.name);
    const pointer = poolPointer(i);
    const target: ZfsPoolTarget = {
      ...common,
      id,
      kind: 'zfs-pool',
      source: { file, pointer },
      config: { [pointer]: { name: p.name, raid_level: p.raid_level ?? null, disks: p.disks } },
      deps: [],
      pool: { name: p.name, layout: p.raid_level ?? 'single', disks: p.disks },
    };
    pools.set(p.name, id);
    targets.push(target);
  });

  (zfs?.datasets ?? []).forEach((d, i) => {
    const path = `${d.pool}/${d.name}`;
    const id = hostTargetId('zfs-dataset', path);
    const pointer = `/zfs/datasets/${i}`;
    const pool = pools.get(d.pool);
    // The pool's name is in the dataset's own slice: its disks are not an input.
    const deps: Edge[] = pool === undefined ? [] : [{ from: pool, to: id, kind: 'order' }];
    const dataset: ZfsDatasetTarget = {
      ...common,
      id,
      kind: 'zfs-dataset',
      source: { file, pointer },
      config: slice(pointer, datasetKeys, d),
      deps,
      dataset: { path, properties: d.properties ?? {} },
    };
    targets.push(dataset);
    const type = d.proxmox_storage_type;
    if (type !== 'zfspool' && type !== 'dir') return;
    const storageId = storageIdOf(d.pool, d.name);
    const sid = hostTargetId('storage', storageId);
    const storage: StorageTarget = {
      ...common,
      id: sid,
      kind: 'storage',
      source: { file, pointer },
      // Not the properties: a new property re-applies the dataset only.
      config: slice(pointer, datasetStorageKeys, d),
      deps: [{ from: id, to: sid, kind: 'order' }],
      storage: {
        id: storageId,
        type,
        target: type === 'zfspool' ? path : `/${path}`,
        content: d.proxmox_content_type ?? 'images,rootdir',
      },
    };
    storages.set(storageId, sid);
    targets.push(storage);
  });
  targets.push(...expandHostServices(project, file, targets));
  const forGuests = expandHostGuests(project);
  targets.push(...forGuests.targets);
  return { targets, storages, guestEdges: forGuests.edgesTo };
}
