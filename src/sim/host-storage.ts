// The sim node's ZFS pools, datasets and Proxmox storage ids, kept in
// `<dir>/host.json`. A storage is usable by `pct` only once it is here:
// added by `pvesm add` on a dataset `zfs create` made in a pool `zpool
// create` made, each refused as the real tools refuse (a dataset on a
// missing pool, a storage on a missing dataset, a pool on a disk another
// pool holds).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SimPool {
  readonly disks: readonly string[];
  readonly layout: string;
}

export interface SimStorage {
  readonly type: string;
  /** zfspool: the dataset (`pool/ds`); dir: the folder. */
  readonly target: string;
  readonly content: string;
}

export interface HostStorageState {
  pools: Record<string, SimPool>;
  /** `pool/ds` → properties set on it. */
  datasets: Record<string, Record<string, string>>;
  storages: Record<string, SimStorage>;
}

/**
 * Proxmox's own storage of every fresh install (`local`, /var/lib/vz): it is
 * no pool's, so nothing phx builds makes it.
 */
export const installStorages: Readonly<Record<string, SimStorage>> = {
  local: { type: 'dir', target: '/var/lib/vz', content: 'iso,vztmpl,backup' },
};

export class HostStorage {
  private readonly file: string;

  constructor(
    dir: string,
    /** Pools the node starts with (see SimOptions.pools). */
    private readonly presetPools: Readonly<Record<string, SimPool>> = {},
  ) {
    this.file = join(dir, 'host.json');
  }

  read(): HostStorageState {
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as HostStorageState;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      return { pools: { ...this.presetPools }, datasets: {}, storages: { ...installStorages } };
    }
  }

  /** Replace the state whole (temp file renamed over it: a reader never sees half). */
  write(state: HostStorageState): void {
    mkdirSync(join(this.file, '..'), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n');
    renameSync(tmp, this.file);
  }

  /** Only what `pvesm add` made, and the install's `local`: never a built-in list (issue 10). */
  hasStorage(id: string): boolean {
    return Object.hasOwn(this.read().storages, id);
  }
}
