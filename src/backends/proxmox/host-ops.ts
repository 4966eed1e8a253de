// The proxmox backend's host operations: host-args.ts command lines run
// through the backend's runner (local, SSH, or the sim).
import type { RunResult } from '../runner.ts';
import type { DatasetSpec, HostOps, OpContext, PoolSpec, StorageSpec } from '../backend.ts';
import {
  addStorageArgs,
  createDatasetArgs,
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

export class ProxmoxHostOps implements HostOps {
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

  async setProperties(dataset: DatasetSpec, ctx: OpContext): Promise<void> {
    const argv = setPropertiesArgs(dataset);
    if (argv) await this.run(argv, ctx);
  }

  async storageExists(id: string, ctx: OpContext): Promise<boolean> {
    return storageIds((await this.run(storageListArgs(), ctx)).stdout).includes(id);
  }

  async addStorage(storage: StorageSpec, ctx: OpContext): Promise<void> {
    await this.run(addStorageArgs(storage), ctx);
  }

  async setStorage(storage: StorageSpec, ctx: OpContext): Promise<void> {
    await this.run(setStorageArgs(storage), ctx);
  }
}
