// The one interface of guest operations every backend implements (DESIGN §5).
// The engine speaks only this; proxmox and sim share one command generator,
// lxc maps the same operations onto the lxc-* tools.
import type { Guest } from '../model/model.ts';
import type { GuestId, GuestKind } from '../core/ids.ts';
import type { SnapshotInfo } from '../core/snapshot.ts';
import type { HostServiceOps } from './host-service-ops.ts';
import type { HostGuestOps } from './host-guest-ops.ts';
import type { HostSetupOps } from './host-setup-ops.ts';
import type { OpContext } from './op-context.ts';

export type BackendKind = 'proxmox' | 'lxc' | 'sim';

export type { OpContext } from './op-context.ts';

/** The live state of one guest: what the "one query per guest" returns. */
export interface GuestState {
  readonly exists: boolean;
  readonly running: boolean;
  /** Oldest first. */
  readonly snapshots: readonly SnapshotInfo[];
  /** Live settings as the backend reports them (key → value), for drift. */
  readonly settings: Readonly<Record<string, string>>;
  /** The guest's description (Proxmox's `#` lines), read with settings: it carries phx's owner mark. */
  readonly description?: string;
}

/** One setting whose live value differs from what applySettings would set. */
export interface SettingDrift {
  readonly key: string;
  /** null: absent live. */
  readonly live: string | null;
  /** null: phx would remove it. */
  readonly declared: string | null;
}

export interface ExecRequest {
  /** Folder inside the guest that becomes the working directory. */
  readonly cwd: string;
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

/** A storage volume a guest's config lists as mpN or unusedN (never a bind mount). */
export interface OwnedVolume {
  /** `mp0`, `unused1`. */
  readonly key: string;
  /** `storage:subvol-801-disk-1`. */
  readonly volume: string;
  /** Whether the volume's name makes this guest its owner (what `pct destroy` frees). */
  readonly owned: boolean;
  /** Snapshots whose config refers to it: Proxmox moves no volume a snapshot still uses. */
  readonly snapshots: readonly string[];
}

/** What the volume carry-over needs to know of one guest. */
export interface GuestVolumes {
  readonly running: boolean;
  /** The guest's description, decoded (a holder's mark lives there). */
  readonly description: string;
  /** Its storage volumes, mpN then unusedN, by index. */
  readonly volumes: readonly OwnedVolume[];
  /** Every config key it has, so a free mpN/unusedN can be picked. */
  readonly keys: readonly string[];
}

/** A guest made only to hold another guest's volumes while that one is re-created. */
export interface HolderSpec {
  readonly id: GuestId;
  /** Template it is created from (it is never started). */
  readonly template: string;
  readonly storage: string;
  readonly unprivileged: boolean;
  readonly hostname: string;
  readonly description: string;
}

/**
 * Reassigning storage volumes between guests of one node (Proxmox's
 * move_volume with target-vmid): how a guest's data survives its rebuild.
 */
export interface VolumeHost {
  /** The guest's volumes; undefined when it does not exist. */
  read(id: GuestId, ctx: OpContext): Promise<GuestVolumes | undefined>;
  /** Add volumes the storages hold for `id` but no config lists (an interrupted move) as unusedN. */
  rescan(id: GuestId, ctx: OpContext): Promise<void>;
  createHolder(spec: HolderSpec, ctx: OpContext): Promise<void>;
  /** Move `key` of stopped guest `from` to `targetKey` of guest `to`; the volume is renamed for `to`. */
  move(from: GuestId, key: string, to: GuestId, targetKey: string, ctx: OpContext): Promise<void>;
  /** Destroy a holder that holds nothing any more. */
  destroyHolder(id: GuestId, ctx: OpContext): Promise<void>;
}

// Host operations: ZFS pools, datasets and Proxmox storage ids (issue 10).
// The proxmox backend runs them as argv commands on the node (locally, over
// SSH, or on the sim); a backend that does not manage its host (lxc) has none.
export interface PoolSpec {
  readonly name: string;
  /** `mirror`, `raidz1`…; `single` (or absent): the disks striped, no redundancy. */
  readonly layout: string;
  readonly disks: readonly string[];
}

export interface DatasetSpec {
  /** `pool/dataset`. */
  readonly path: string;
  /** Name → value, in the order they are set. */
  readonly properties: Readonly<Record<string, string>>;
}

export interface StorageSpec {
  readonly id: string;
  /** `zfspool` (on the dataset), `dir` (on the dataset's mountpoint), or `nfs` (an export, host-services.ts). */
  readonly type: 'zfspool' | 'dir' | 'nfs';
  /** zfspool: `pool/dataset`; dir: `/pool/dataset`; nfs: the exported path. */
  readonly target: string;
  /** nfs: the NFS server's address. */
  readonly server?: string;
  /** `images,rootdir`… */
  readonly content: string;
}

export interface HostOps extends HostServiceOps, HostGuestOps, HostSetupOps<OpContext> {
  poolExists(name: string, ctx: OpContext): Promise<boolean>;
  /** Creates a pool on its disks: destructive; the rule runs it only with consent. */
  createPool(pool: PoolSpec, ctx: OpContext): Promise<void>;
  datasetExists(path: string, ctx: OpContext): Promise<boolean>;
  createDataset(dataset: DatasetSpec, ctx: OpContext): Promise<void>;
  /**
   * Sets the declared properties; a property phx set before (listed in the
   * dataset's `phx:managed`) and the config no longer declares is inherited
   * again. Properties phx never set are left alone.
   */
  setProperties(dataset: DatasetSpec, ctx: OpContext): Promise<void>;
  storageExists(id: string, ctx: OpContext): Promise<boolean>;
  addStorage(storage: StorageSpec, ctx: OpContext): Promise<void>;
  /** Re-applies what `pvesm set` can change of an existing storage (its content types). */
  setStorage(storage: StorageSpec, ctx: OpContext): Promise<void>;
}

// VM operations beyond the guest interface (issue 11). Every Backend method
// above takes a Guest and works for `guest.kind === 'vm'` on backends that
// have VMs (proxmox, sim): `qm` instead of `pct`, and exec/push/pull through
// the QEMU guest agent. What only a VM has is here.
export interface VmImage {
  /** Absolute path of the image on the machine running phx, its content verified. */
  readonly localPath: string;
  /** sha256 of its bytes (hex): the node keeps it under this name. */
  readonly sha256: string;
}

export interface VmOps {
  /**
   * Put a disk image on the node, kept by content (a second call with the
   * same sha256 copies nothing); returns the node's path of it for createVm.
   */
  stageImage(image: VmImage, ctx: OpContext): Promise<string>;
  /**
   * `qm create` with the entry's settings, the staged image imported as the
   * boot disk on the entry's storage, a cloud-init drive, a serial console
   * and the agent on; the VM is left stopped. `nodeImage` is stageImage's answer.
   */
  createVm(guest: Guest, nodeImage: string, ctx: OpContext): Promise<void>;
  /**
   * Wait until the running VM's guest agent answers (`qm agent <id> ping`),
   * polling; throws OpError 'agent-timeout' after `timeoutMs`.
   */
  waitForAgent(guest: Guest, timeoutMs: number, ctx: OpContext): Promise<void>;
}

/**
 * Guest operations. Every method throws OpError on failure; anything else
 * thrown is a broken invariant. Ids are CTIDs/VMIDs; `kind` says which.
 */
export interface Backend {
  readonly kind: BackendKind;
  /** One line for the top of the output, e.g. "backend: sim (.phoenix-sim)". */
  describe(): string;
  /**
   * State of many guests; one query per guest at most. Live settings (for
   * drift) cost another query on some backends: asked for only with `settings`.
   */
  inspect(
    guests: readonly { kind: GuestKind; id: GuestId }[],
    signal: AbortSignal,
    opts?: { readonly settings?: boolean },
  ): Promise<Map<GuestId, GuestState>>;
  create(guest: Guest, ctx: OpContext): Promise<void>;
  /** Full clone of `source` from its snapshot `snapshot`. */
  clone(source: GuestId, snapshot: string, guest: Guest, ctx: OpContext): Promise<void>;
  /** Reconcile the guest to exactly the declared settings (stale keys removed). */
  applySettings(guest: Guest, ctx: OpContext): Promise<void>;
  /**
   * What differs between the guest's live settings and what applySettings
   * would make them: empty means applySettings would change nothing. Throws
   * OpError 'rejected' when the entry's settings cannot be expressed.
   */
  settingsDrift(guest: Guest, signal: AbortSignal): Promise<SettingDrift[]>;
  /** Copy a local folder into the guest at `remoteDir` (created, replaced). */
  push(guest: Guest, localDir: string, remoteDir: string, ctx: OpContext): Promise<void>;
  /** Write one file into the guest. */
  pushFile(guest: Guest, content: string, remotePath: string, ctx: OpContext): Promise<void>;
  exec(guest: Guest, req: ExecRequest, ctx: OpContext): Promise<void>;
  /**
   * Copy a folder out of the guest into `localDir` (replaced). A missing
   * remote folder gives an empty local one: a producer that published nothing.
   */
  pull(guest: Guest, remoteDir: string, localDir: string, ctx: OpContext): Promise<void>;
  snapshot(guest: Guest, name: string, description: string, ctx: OpContext): Promise<void>;
  deleteSnapshot(guest: Guest, name: string, ctx: OpContext): Promise<void>;
  rollback(guest: Guest, name: string, ctx: OpContext): Promise<void>;
  start(guest: Guest, ctx: OpContext): Promise<void>;
  stop(guest: Guest, ctx: OpContext): Promise<void>;
  destroy(guest: Guest, ctx: OpContext): Promise<void>;
  /**
   * Settings a running guest has been given but takes only at its next start
   * (empty when stopped or missing). Optional: a backend without it cannot say.
   */
  restartPending?(guest: Guest, signal: AbortSignal): Promise<readonly string[]>;
  /** Replace the guest's description: `phx adopt` writes phx's owner mark into it. */
  setDescription(guest: Guest, description: string, ctx: OpContext): Promise<void>;
  /** Write the guest's firewall (whole file; disabled = enable: 0, its rules kept unapplied). */
  writeFirewall(guest: Guest, ctx: OpContext): Promise<void>;
  /** Release connections, locks and temp state. */
  close(): Promise<void>;
  /** Moving volumes between guests; undefined where guests have no storage volumes (lxc). */
  volumeHost(): VolumeHost | undefined;
  /**
   * ZFS pools, datasets and storage ids of the node; undefined (or absent,
   * for backends that predate them) where phx does not manage the host (lxc).
   */
  hostOps?(): HostOps | undefined;
  /** VM operations; undefined (or absent) where the backend has no VMs (lxc). */
  vmOps?(): VmOps | undefined;
}
