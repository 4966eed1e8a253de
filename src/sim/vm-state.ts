// The sim node's model of one QEMU VM, persisted in `<dir>/qemu-server/<id>.json`.
// A VM shares its config shape (description, keys, snapshot sections) and
// its guest filesystem model with a CT: what the guest agent's commands see
// is the same FsModel `pct exec` works on, so features run alike in both.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConfigSection, FsModel, SnapshotState } from './ct-state.ts';
import { writeAtomic, type SimStore } from './store.ts';

/** qemu-server's lock names (the API's `lock` enum). */
export const vmLockNames = [
  'backup',
  'clone',
  'create',
  'migrate',
  'rollback',
  'snapshot',
  'snapshot-delete',
  'suspending',
  'suspended',
] as const;
export type VmLockName = (typeof vmLockNames)[number];

export interface VmLock {
  readonly name: VmLockName;
  /** The process holding it; a lock whose process died is stale. Absent when set by hand. */
  readonly pid?: number;
  readonly since: number;
}

/** What `qm guest exec` started, as `qm guest exec-status` reports it. */
export interface GuestProcess {
  readonly exitcode: number;
  readonly out: string;
  readonly err: string;
  /** ms epoch at which the process counts as exited (its simulated run time). */
  readonly endsAt: number;
}

export interface VmState {
  readonly vmid: number;
  status: 'running' | 'stopped';
  lock?: VmLock;
  config: ConfigSection;
  /** Oldest first. */
  snapshots: SnapshotState[];
  /** The guest's root filesystem, as the agent's commands see it. */
  fs: FsModel;
  /** ms epoch from which the guest agent answers (set at start; absent while stopped). */
  agentFrom?: number;
  /** Processes the agent started since boot, by pid. */
  processes?: Record<string, GuestProcess>;
  nextPid?: number;
  /** The cloud-init values the drive holds (at the last `qm cloudinit update` or start). */
  cloudinit?: string;
}

interface StoredSnapshot {
  readonly name: string;
  readonly config: ConfigSection;
  readonly fsSha: string;
}

type StoredVm = Omit<VmState, 'snapshots'> & { readonly snapshots: readonly StoredSnapshot[] };

/** VM state files beside the CTs'; one id's CT and VM files share the CT's mutex (ids are shared). */
export class VmStore {
  constructor(readonly store: SimStore) {}

  private get vmDir(): string {
    return join(this.store.dir, 'qemu-server');
  }

  vmFile(id: number): string {
    return join(this.vmDir, `${id}.json`);
  }

  exists(id: number): boolean {
    return existsSync(this.vmFile(id));
  }

  async load(id: number): Promise<VmState | undefined> {
    let stored: StoredVm;
    try {
      stored = JSON.parse(readFileSync(this.vmFile(id), 'utf8')) as StoredVm;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    const snapshots: SnapshotState[] = [];
    for (const s of stored.snapshots) {
      const blob = await this.store.getBlob(s.fsSha);
      if (!blob) throw new Error(`sim: blob ${s.fsSha} of VM ${id} snapshot ${s.name} is missing`);
      snapshots.push({
        name: s.name,
        config: s.config,
        fs: JSON.parse(blob.toString('utf8')) as FsModel,
      });
    }
    return { ...stored, snapshots };
  }

  async save(vm: VmState): Promise<void> {
    await mkdir(this.vmDir, { recursive: true });
    const snapshots: StoredSnapshot[] = [];
    for (const s of vm.snapshots)
      snapshots.push({
        name: s.name,
        config: s.config,
        fsSha: await this.store.putBlob(Buffer.from(JSON.stringify(s.fs))),
      });
    await writeAtomic(this.vmFile(vm.vmid), JSON.stringify({ ...vm, snapshots }));
  }

  async remove(id: number): Promise<void> {
    await rm(this.vmFile(id), { force: true });
  }

  async ids(): Promise<number[]> {
    const names = await readdir(this.vmDir).catch(() => [] as string[]);
    return names
      .map((n) => /^(\d+)\.json$/.exec(n)?.[1])
      .filter((x): x is string => x !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }
}
