// The VM half of the sim node: VM lookup with stale-lock recovery, locks as
// qemu-server takes them for long operations, and the checks every VM
// command shares. A VMID is one namespace with CTIDs: a VM's read-modify-
// write holds the same per-id mutex as a CT's, so `qm create` and `pct
// create` of one id can never both succeed.
import { pidAlive } from '../core/pid-alive.ts';
import type { OpEnv, Outcome, SimNode } from './node.ts';
import { VmStore, type VmLockName, type VmState } from './vm-state.ts';

export interface VmNodeOptions {
  /** Milliseconds from `qm start` until the guest agent answers (sim time, already scaled). */
  readonly agentDelayMs: number;
}

export class VmNode {
  readonly vms: VmStore;

  constructor(
    readonly node: SimNode,
    readonly options: VmNodeOptions,
  ) {
    this.vms = new VmStore(node.store);
  }

  missingMessage(id: number): string {
    return `Configuration file 'nodes/${this.node.nodeName}/qemu-server/${id}.conf' does not exist`;
  }

  lockedMessage(vm: VmState): string {
    return `VM ${vm.vmid} is locked (${vm.lock?.name ?? ''})`;
  }

  /** The message for an id a guest of either kind already holds, or undefined when it is free. */
  async idTaken(id: number): Promise<string | undefined> {
    if (this.vms.exists(id)) return `VM ${id} already exists on node '${this.node.nodeName}'`;
    if (await this.node.store.load(id))
      return `CT ${id} already exists on node '${this.node.nodeName}'`;
    return undefined;
  }

  /** A storage VM disks may live on: it exists, and holds `images` where its content is known. */
  diskStorageProblem(storage: string): string | undefined {
    const missing = this.node.storageProblem(storage);
    if (missing !== undefined) return missing;
    const known = this.node.host.read().storages[storage];
    if (known && !known.content.split(',').includes('images'))
      return `storage '${storage}' does not support content-type 'images'`;
    return undefined;
  }

  /**
   * Whether rollback may only go to the newest snapshot: ZFS (and every
   * storage whose type the sim does not know) rolls back in place; a `dir`
   * storage keeps qcow2 internal snapshots, which roll back to any.
   */
  rollbackNeedsNewest(storages: readonly string[]): boolean {
    const known = this.node.host.read().storages;
    return storages.some((s) => known[s]?.type !== 'dir');
  }

  private async loadFresh(id: number, env: OpEnv): Promise<VmState | undefined> {
    const vm = await this.vms.load(id);
    const pid = vm?.lock?.pid;
    if (vm && pid !== undefined && pid !== process.pid && !pidAlive(pid)) {
      env.note(`clearing stale lock '${vm.lock!.name}' on VM ${id} left by pid ${pid}`);
      delete vm.lock;
      await this.vms.save(vm);
    }
    return vm;
  }

  /** Read-modify-write one VM under the id's mutex. */
  update<T>(
    id: number,
    env: OpEnv,
    fn: (vm: VmState | undefined) => { result: T; save?: VmState; remove?: boolean },
  ): Promise<T> {
    return this.node.store.withCt(id, async () => {
      const vm = await this.loadFresh(id, env);
      const r = fn(vm);
      if (r.remove) await this.vms.remove(id);
      else if (r.save) await this.vms.save(r.save);
      return r.result;
    });
  }

  /** A VM for a read-only query (a stale lock cleared first). */
  read(id: number, env: OpEnv): Promise<VmState | undefined> {
    return this.update(id, env, (vm) => ({ result: vm }));
  }

  /** Take `lock` on an existing, unlocked VM; an error message, or undefined when held. */
  acquire(
    id: number,
    lock: VmLockName,
    env: OpEnv,
    check?: (vm: VmState) => string | undefined,
  ): Promise<string | undefined> {
    return this.update(id, env, (vm) => {
      if (!vm) return { result: this.missingMessage(id) };
      if (vm.lock) return { result: this.lockedMessage(vm) };
      const problem = check?.(vm);
      if (problem !== undefined) return { result: problem };
      vm.lock = { name: lock, pid: process.pid, since: Date.now() };
      return { result: undefined, save: vm };
    });
  }

  /** A new VM, locked from birth; refused when a CT or a VM holds the id. */
  claimNew(vm: VmState, lock: VmLockName): Promise<string | undefined> {
    return this.node.store.withCt(vm.vmid, async () => {
      const taken = await this.idTaken(vm.vmid);
      if (taken !== undefined) return taken;
      vm.lock = { name: lock, pid: process.pid, since: Date.now() };
      await this.vms.save(vm);
      return undefined;
    });
  }

  /** Drop our lock, after applying the operation's effect. */
  release(id: number, env: OpEnv, apply?: (vm: VmState) => void): Promise<void> {
    return this.update(id, env, (vm) => {
      if (!vm) return { result: undefined };
      apply?.(vm);
      if (vm.lock?.pid === process.pid) delete vm.lock;
      return { result: undefined, save: vm };
    });
  }

  /** Spend the operation's time holding the locks; on error release them (new VMs removed). */
  async locked(
    env: OpEnv,
    locks: readonly { id: number; fresh?: boolean }[],
    finish: () => Promise<Outcome>,
  ): Promise<Outcome> {
    try {
      await env.pause();
      return await finish();
    } catch (e) {
      for (const l of locks) {
        if (l.fresh)
          await this.update(l.id, env, (vm) => ({
            result: undefined,
            remove: vm?.lock?.pid === process.pid,
          }));
        else await this.release(l.id, env);
      }
      throw e;
    }
  }
}
