// The proxmox backend's host operations: host-args.ts command lines run
// through the backend's runner (local, SSH, or the sim).
import type { RunResult } from '../runner.ts';
import type { DatasetSpec, HostOps, OpContext, PoolSpec, StorageSpec } from '../backend.ts';
import type { HostGuestOps } from '../host-guest-ops.ts';
import type { HostServiceOps } from '../host-service-ops.ts';
import { addNfsStorageArgs } from './host-service-args.ts';
import type { HostSetupOps } from '../host-setup-ops.ts';
import {
  addStorageArgs,
  createDatasetArgs,
  inheritPropertyArgs,
  managedProperties,
  managedPropertiesArgs,
  createPoolArgs,
  datasetExistsArgs,
  poolExistsArgs,
  setPropertiesArgs,
  setStorageArgs,
  storageIds,
  storageListArgs,
} from './host-args.ts';

type Run = (
  argv: string[],
  ctx: OpContext,
  tolerate?: (r: RunResult) => boolean,
) => Promise<RunResult>;

/** zpool/zfs exit 1 for "no such pool/dataset"; anything else is a failure. */
const missing = (r: RunResult): boolean => r.exitCode === 1;

/** The ZFS and storage part; backend.ts adds the services (host-service-ops.ts). */
export class ProxmoxHostOps implements Omit<
  HostOps,
  keyof HostGuestOps | keyof HostServiceOps | keyof HostSetupOps<OpContext>
> {
  constructor(private readonly run: Run) {}

  async poolExists(name: string, ctx: OpContext): Promise<boolean> {
    return (await this.run(poolExistsArgs(name), ctx, missing)).exitCode === 0;
  }

  async createPool(pool: PoolSpec, ctx: OpContext): Promise<void> {
    await this.run(createPoolArgs(pool), ctx);
  }

  async datasetExists(path: string, ctx: OpContext): Promise<boolean> {
    return (await this.run(datasetExistsArgs(path), ctx, missing)).exitCode === 0;
  }

  async createDataset(dataset: DatasetSpec, ctx: OpContext): Promise<void> {
    await this.run(createDatasetArgs(dataset), ctx);
  }

  /** Declared properties set; those phx set before and the config dropped go back to inherited. */
  async setProperties(dataset: DatasetSpec, ctx: OpContext): Promise<void> {
    const before = managedProperties(
      (await this.run(managedPropertiesArgs(dataset.path), ctx)).stdout,
    );
    for (const name of before)
      if (!Object.hasOwn(dataset.properties, name))
        await this.run(inheritPropertyArgs(name, dataset.path), ctx);
    await this.run(setPropertiesArgs(dataset), ctx);
  }

  async storageExists(id: string, ctx: OpContext): Promise<boolean> {
    return storageIds((await this.run(storageListArgs(), ctx)).stdout).includes(id);
  }

  async addStorage(storage: StorageSpec, ctx: OpContext): Promise<void> {
    const nfs = storage.type === 'nfs';
    await this.run(nfs ? addNfsStorageArgs(storage) : addStorageArgs(storage), ctx);
  }

  async setStorage(storage: StorageSpec, ctx: OpContext): Promise<void> {
    await this.run(setStorageArgs(storage), ctx);
  }
}
