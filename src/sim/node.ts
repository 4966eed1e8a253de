// The sim node's core: CT lookup with stale-lock recovery, taking and
// releasing CT locks the way Proxmox does for long operations, storages and
// volume allocation. Subcommands (pct-*.ts) are written against this.
import { randomBytes } from 'node:crypto';
import type { CtState } from './ct-state.ts';
import type { LockName } from './pct-spec.ts';
import { pidAlive } from '../core/pid-alive.ts';
import type { CtSummary, SimStore } from './store.ts';
import type { HostStorage } from './host-storage.ts';
import { VmStore } from './vm-state.ts';
import { HostPaths } from './host-paths.ts';

/** What a command prints and exits with; rejections are values, not exceptions. */
export { done, type Outcome } from './outcome.ts';
import type { Outcome } from './outcome.ts';

/** pct's error exit: the message on stderr, exit code 255. */
export const rejected = (message: string): Outcome => ({
  exitCode: 255,
  stdout: '',
  stderr: message.endsWith('\n') ? message : `${message}\n`,
});

/** What an operation may do besides its own work. */
export interface OpEnv {
  readonly signal: AbortSignal;
  /**
   * Spend the operation's simulated time (duration × scale, blocking faults).
   * Long operations call it while holding their CT lock, so a concurrent
   * operation sees the lock exactly as on a real node.
   */
  pause(): Promise<void>;
  /** A stderr line that does not fail the command (stale-lock notices). */
  note(line: string): void;
}

/**
 * The pools a fresh sim node has: the example configs' disks, already pooled
 * as those configs declare, the way a node phx is pointed at has its disks
 * (so a build adopts them, needing no --allow-destructive). Datasets and
 * storage ids on them are made by the build.
 */
export const defaultPools = {
  quickOS: {
    layout: 'mirror',
    disks: [
      '/dev/disk/by-id/nvme-Samsung_SSD_990_EVO_Plus_2TB_S7U6NJ0Y320880M',
      '/dev/disk/by-id/nvme-Samsung_SSD_990_EVO_Plus_2TB_S7U6NJ0Y310536X',
    ],
  },
  fastData: {
    layout: 'single',
    disks: ['/dev/disk/by-id/nvme-Samsung_SSD_990_EVO_Plus_4TB_S7U8NJ0Y402334Y'],
  },
};

export class SimNode {
  constructor(
    readonly store: SimStore,
    /** Pools, datasets and storage ids (pools preset; datasets and storages built by zfs/pvesm). */
    readonly host: HostStorage,
    /** Names this node answers to in API paths (`localhost`, its hostname). */
    readonly nodeNames: readonly string[],
  ) {}

  private hostPaths?: HostPaths;

  /** Host folders, subuid/subgid grants and AppArmor profiles (host-paths.ts). */
  get paths(): HostPaths {
    return (this.hostPaths ??= new HostPaths(this.store.dir, () => this.host.read()));
  }

  get nodeName(): string {
    return this.nodeNames[0] ?? 'localhost';
  }

  missingMessage(id: number): string {
    return `Configuration file 'nodes/${this.nodeName}/lxc/${id}.conf' does not exist`;
  }

  existsMessage(id: number): string {
    return `CT ${id} already exists on node '${this.nodeName}'`;
  }

  storageProblem(storage: string): string | undefined {
    return this.host.hasStorage(storage) ? undefined : `storage '${storage}' does not exist`;
  }

  /** Load a CT, clearing a lock whose owning process is gone. Call inside store.withCt. */
  async loadFresh(id: number, env: OpEnv): Promise<CtState | undefined> {
    const ct = await this.store.load(id);
    const lock = ct?.lock;
    if (ct && lock?.pid !== undefined && lock.pid !== process.pid && !pidAlive(lock.pid)) {
      env.note(`clearing stale lock '${lock.name}' on CT ${id} left by pid ${lock.pid}`);
      delete ct.lock;
      await this.store.save(ct);
    }
    return ct;
  }

  /**
   * A CT for a read-only query: its summary, read without the mutex (states
   * are replaced atomically). A lock left by a dead process is cleared first.
   */
  async peek(id: number, env: OpEnv): Promise<CtSummary | undefined> {
    const s = await this.store.loadSummary(id);
    const pid = s?.lock?.pid;
    if (pid !== undefined && pid !== process.pid && !pidAlive(pid)) {
      await this.update(id, env, () => ({ result: undefined }));
      return this.store.loadSummary(id);
    }
    return s;
  }

  /**
   * A CT's whole state for a read-only query (its config file), read without
   * the mutex like `peek`: states are replaced atomically. A lock left by a
   * dead process is cleared under the mutex first, as every reader does.
   */
  async read(id: number, env: OpEnv): Promise<CtState | undefined> {
    const ct = await this.store.load(id);
    const pid = ct?.lock?.pid;
    if (pid !== undefined && pid !== process.pid && !pidAlive(pid))
      return this.update(id, env, (fresh) => ({ result: fresh }));
    return ct;
  }

  /** Read-modify-write one CT under its mutex; `fn` mutates `ct` and says whether to save. */
  update<T>(
    id: number,
    env: OpEnv,
    fn: (ct: CtState | undefined) => { result: T; save?: CtState; remove?: boolean },
  ): Promise<T> {
    return this.store.withCt(id, async () => {
      const ct = await this.loadFresh(id, env);
      const r = fn(ct);
      if (r.remove) await this.store.remove(id);
      else if (r.save) await this.store.save(r.save);
      return r.result;
    });
  }

  /**
   * Take `lock` on an existing CT: fails if it is missing, locked, or `check`
   * objects. Returns an error message, or undefined when the lock is held.
   */
  acquire(
    id: number,
    lock: LockName,
    env: OpEnv,
    check?: (ct: CtState) => string | undefined,
  ): Promise<string | undefined> {
    return this.update(id, env, (ct) => {
      if (!ct) return { result: this.missingMessage(id) };
      if (ct.lock) return { result: `CT ${id} is locked (${ct.lock.name})` };
      const problem = check?.(ct);
      if (problem !== undefined) return { result: problem };
      ct.lock = { name: lock, pid: process.pid, since: Date.now() };
      return { result: undefined, save: ct };
    });
  }

  /** Create a new CT that is locked from birth (create, clone target). */
  claimNew(ct: CtState, lock: LockName, env: OpEnv): Promise<string | undefined> {
    return this.update(ct.vmid, env, (existing) => {
      if (existing) return { result: this.existsMessage(ct.vmid) };
      // VMIDs and CTIDs are one namespace (the VM's state shares this mutex).
      if (new VmStore(this.store).exists(ct.vmid))
        return { result: `VM ${ct.vmid} already exists on node '${this.nodeName}'` };
      ct.lock = { name: lock, pid: process.pid, since: Date.now() };
      return { result: undefined, save: ct };
    });
  }

  /** Drop our lock, after applying the operation's effect (if any). */
  release(id: number, env: OpEnv, apply?: (ct: CtState) => void): Promise<void> {
    return this.update(id, env, (ct) => {
      if (!ct) return { result: undefined };
      apply?.(ct);
      if (ct.lock?.pid === process.pid) delete ct.lock;
      return { result: undefined, save: ct };
    });
  }

  /** Remove a CT we created but could not finish (as Proxmox cleans up a failed create). */
  discard(id: number, env: OpEnv): Promise<void> {
    return this.update(id, env, (ct) => ({
      result: undefined,
      remove: ct?.lock?.pid === process.pid,
    }));
  }

  /**
   * Run a long operation: hold the lock(s) while its simulated time passes,
   * then apply. On abort or error, locks are released and new CTs discarded.
   */
  async locked(
    env: OpEnv,
    locks: readonly { id: number; fresh?: boolean }[],
    finish: () => Promise<Outcome>,
  ): Promise<Outcome> {
    try {
      await env.pause();
      return await finish();
    } catch (e) {
      for (const l of locks) await (l.fresh ? this.discard(l.id, env) : this.release(l.id, env));
      throw e;
    }
  }
}

/** Volume names as ZFS storage allocates them: `subvol-<vmid>-disk-<n>`. */
export function nextDiskName(vmid: number, used: ReadonlySet<string>): string {
  for (let n = 0; ; n++) {
    const name = `subvol-${vmid}-disk-${n}`;
    if (!used.has(name)) return name;
  }
}

/** Disk names a CT already uses in its config and its snapshots. */
export function usedDiskNames(sections: readonly Record<string, string>[]): Set<string> {
  const used = new Set<string>();
  for (const keys of sections) {
    for (const v of Object.values(keys))
      for (const m of v.matchAll(/:(subvol-\d+-disk-\d+)/g)) used.add(m[1]!);
  }
  return used;
}

/** A MAC as Proxmox generates them (its OUI BC:24:11), for cloned NICs. */
export function randomMac(): string {
  const b = randomBytes(3);
  return `BC:24:11:${[...b].map((x) => x.toString(16).padStart(2, '0').toUpperCase()).join(':')}`;
}
