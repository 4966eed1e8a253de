// Targets of the host's services (issue 10): each holds what its rule
// applies; a secret (Samba password, password hash) is not here but read by
// the rule from the config at run time, so no target object, plan or graph
// made from one can carry it.
import type { HostBase } from './target-base.ts';
import type {
  LinuxUserSpec,
  NfsExportSpec,
  PveUserSpec,
  SambaShareSpec,
  SambaUserSpec,
} from '../src/backends/host-service-ops.ts';
import type { Firewall } from '../src/model/model.ts';

/** phx's block of /etc/exports: every export of `nfs.exports`. */
export interface NfsExportsTarget extends HostBase<'nfs-exports'> {
  readonly exports: readonly NfsExportSpec[];
}

/** One `samba.shares[]` entry: its smb.conf section. */
export interface SambaShareTarget extends HostBase<'samba-share'> {
  readonly share: SambaShareSpec;
}

/** `samba.user`: its Samba account (password from `samba.password`, a secret reference). */
export interface SambaUserTarget extends HostBase<'samba-user'> {
  readonly sambaUser: SambaUserSpec;
  /** Pointer of the password in the hypervisor config; the rule resolves it there. */
  readonly passwordPointer: string;
}

/** `users`: the Linux account. */
export interface LinuxUserTarget extends HostBase<'linux-user'> {
  readonly user: LinuxUserSpec;
  /** Pointer of `password_hash` in the hypervisor config. */
  readonly passwordPointer: string;
}

/** `users`: the Proxmox account `<name>@pam` and its ACL. */
export interface PveUserTarget extends HostBase<'pve-user'> {
  readonly pveUser: PveUserSpec;
}

/** `zfs.arc_max_gb`. */
export interface ArcLimitTarget extends HostBase<'arc-limit'> {
  readonly bytes: number;
}

/** `shared_volumes.firewall` (or the later top-level `firewall`): cluster.fw. */
export interface ClusterFirewallTarget extends HostBase<'cluster-firewall'> {
  readonly firewall: Firewall;
}

export type HostServiceTarget =
  | NfsExportsTarget
  | SambaShareTarget
  | SambaUserTarget
  | LinuxUserTarget
  | PveUserTarget
  | ArcLimitTarget
  | ClusterFirewallTarget;
