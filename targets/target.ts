// A target: one buildable step of one guest (DESIGN §2), with exactly the
// inputs its fingerprint covers and the edges that order it. One member per
// kind, each holding only its own fields; `kind` tells them apart.
import type { FeatureManifest, FeatureRef, Guest } from '../src/model/model.ts';
import type { HostBase, OffChain, OnChain, TargetBase } from './target-base.ts';
import type { TargetKind } from '../src/core/target-id.ts';
import type { DatasetSpec, PoolSpec, StorageSpec } from '../src/backends/backend.ts';
import type { ResolvedImage } from './vm-image.ts';
import type { HostServiceTarget } from './host-service-target.ts';
import type { HostGuestTarget } from './host-guest-target.ts';
import type {
  CaTrustFields,
  DnsFields,
  GeneratedFields,
  NvidiaDriverFields,
} from './host-setup-target.ts';

export type { Edge, EdgeKind, HostBase, TargetBase } from './target-base.ts';
export { invalidatingEdges } from './target-base.ts';

/** A fresh container from the entry's template, or a VM from its disk image. */
export interface CreateTarget extends TargetBase<'create'>, OnChain {
  readonly layer: 0;
  /** VMs: the image its boot disk is imported from (its `image` target stages it). */
  readonly image?: ResolvedImage;
}

/** A VM's disk image, fetched and verified by content, and put on the node. */
export interface ImageTarget extends TargetBase<'image'>, OffChain {
  readonly image: ResolvedImage;
}

/** A full clone of another guest's template snapshot (or last layer). */
export interface CloneTarget extends TargetBase<'clone'>, OnChain {
  readonly layer: 0;
  /** The guest cloned from; its output is named by the `clone` edge. */
  readonly cloneSource: Guest;
}

/** The declared settings, reconciled after every create, clone and rollback. */
export type SettingsTarget = TargetBase<'settings'> & OffChain;

/** One feature's install.sh, run inside the guest from its folder. */
export interface FeatureTarget extends TargetBase<'feature'>, OnChain {
  readonly feature: { readonly ref: FeatureRef; readonly manifest: FeatureManifest };
}

/** The entry's application script, the last layer. */
export interface AppTarget extends TargetBase<'app'>, OnChain {
  /** features/apps/: the folder the script and its shared folders are pushed from. */
  readonly pushDir: string;
  /** The script to run, a file of pushDir. */
  readonly script: string;
}

/** The entry's health_check, run after its last layer. */
export type CheckTarget = TargetBase<'check'> & OffChain;

/** The template snapshot that clones read (`template_snapshot_name`). */
export interface SnapshotTarget extends TargetBase<'snapshot'>, OffChain {
  readonly snapshotName: string;
}

/** The guest's firewall rules, written whole. */
export type FirewallTarget = TargetBase<'firewall'> & OffChain;

/** A file rendered from every entry, pushed into the guest that serves it (host-setup-target.ts). */
export interface GeneratedTarget extends TargetBase<'generated'>, OffChain, GeneratedFields {}

/** A ZFS pool on its disks: creating it destroys what the disks held. */
export interface ZfsPoolTarget extends HostBase<'zfs-pool'> {
  readonly pool: PoolSpec;
}

/** A dataset of a pool and its properties. */
export interface ZfsDatasetTarget extends HostBase<'zfs-dataset'> {
  readonly dataset: DatasetSpec;
}

/** A Proxmox storage id on a dataset. */
export interface StorageTarget extends HostBase<'storage'> {
  readonly storage: StorageSpec;
}

/** The host's NVIDIA driver, DNS file and CA trust (host-setup-target.ts). */
export interface NvidiaDriverTarget extends HostBase<'nvidia-driver'>, NvidiaDriverFields {}
export interface DnsTarget extends HostBase<'dns'>, DnsFields {}
export interface CaTrustTarget extends HostBase<'ca-trust'>, CaTrustFields {}
export type HostSetupTarget = NvidiaDriverTarget | DnsTarget | CaTrustTarget;

export type HostTarget =
  | ZfsPoolTarget
  | ZfsDatasetTarget
  | StorageTarget
  | HostServiceTarget
  | HostGuestTarget
  | HostSetupTarget;

export type Target =
  | HostServiceTarget
  | HostGuestTarget
  | HostSetupTarget
  | GeneratedTarget
  | ZfsPoolTarget
  | ZfsDatasetTarget
  | StorageTarget
  | CreateTarget
  | CloneTarget
  | SettingsTarget
  | FeatureTarget
  | AppTarget
  | CheckTarget
  | SnapshotTarget
  | FirewallTarget
  | ImageTarget;

/** The targets that belong to a guest (every kind but the host's). */
export type GuestTarget = Exclude<Target, HostTarget>;

export type GuestTargetKind = GuestTarget['kind'];

/** The member of `Target` for one kind. */
export type TargetOf<K extends TargetKind> = Extract<Target, { readonly kind: K }>;

/**
 * The union and the kind list name the same kinds: a kind added to one and
 * not the other stops the compile here (README "Adding a target kind").
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const everyKindHasATarget: Same<Target['kind'], TargetKind> = true;
