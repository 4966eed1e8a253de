// Host operations for the services of the hypervisor config (issue 10): NFS
// exports, Samba, users, the ARC limit and the cluster firewall. Merged into
// HostOps (backend.ts); the proxmox backend runs them as argv on the node
// (locally, over SSH, or on the sim). Secrets (a Samba password, a password
// hash) are arguments of the call, never of a command line: the backend
// hands them to the command on stdin, so no argv, log or journal holds them.
import type { OpContext } from './op-context.ts';
import type { Firewall } from '../model/model.ts';
import type { HostServiceKind } from '../core/host-service-kinds.ts';

export interface NfsExportSpec {
  /** Absolute folder on the host, e.g. `/quickOS/vm-persistent-data`. */
  readonly path: string;
  readonly clients: readonly string[];
  readonly options: readonly string[];
}

export interface SambaShareSpec {
  /** The `[name]` section. */
  readonly name: string;
  /** Absolute folder on the host. */
  readonly path: string;
  /** smb.conf parameters from the share's `options` (`browseable=yes writable=yes`), in order. */
  readonly parameters: readonly (readonly [string, string])[];
  readonly validUsers: readonly string[];
}

export interface SambaUserSpec {
  readonly name: string;
  /**
   * Whether the Linux account is this target's to create when missing
   * (false: another target, the `users` one, makes it).
   */
  readonly createAccount: boolean;
}

export interface LinuxUserSpec {
  readonly name: string;
  readonly sudo: boolean;
  /** One `authorized_keys` line; '' for none. */
  readonly sshPublicKey: string;
}

export interface PveUserSpec {
  /** `name@pam`. */
  readonly userid: string;
  /** ACL path and role granted, e.g. `/` and `Administrator`. */
  readonly aclPath: string;
  readonly role: string;
}

export interface HostServiceOps {
  /**
   * Replace phx's block of /etc/exports with these exports (lines outside it
   * are kept) and re-export (`exportfs -ra`), which refuses a missing path.
   */
  applyExports(exports: readonly NfsExportSpec[], ctx: OpContext): Promise<void>;
  /**
   * The share's section in phx's part of smb.conf, checked by `testparm`
   * before it replaces the file; refused when the share's folder is missing.
   */
  applySambaShare(share: SambaShareSpec, ctx: OpContext): Promise<void>;
  /**
   * The Samba account (`smbpasswd -a`), its Linux account made first if
   * `createAccount` and missing. `password` undefined: nothing is added.
   */
  applySambaUser(user: SambaUserSpec, password: string | undefined, ctx: OpContext): Promise<void>;
  /**
   * The Linux user (useradd when missing, marked as phx's), its sudo group
   * membership and authorized key; `passwordHash` (crypt) set when given.
   */
  applyLinuxUser(
    user: LinuxUserSpec,
    passwordHash: string | undefined,
    ctx: OpContext,
  ): Promise<void>;
  /** The Proxmox user (`pveum user add` when missing) and its ACL entry. */
  applyPveUser(user: PveUserSpec, ctx: OpContext): Promise<void>;
  /** zfs_arc_max in /etc/modprobe.d/zfs.conf (for boots) and live in /sys/module/zfs. */
  applyArcLimit(bytes: number, ctx: OpContext): Promise<void>;
  /**
   * /etc/pve/firewall/cluster.fw, written whole: `[OPTIONS]` enable and
   * policies, `[RULES]` the global rules (guest rules stay in each guest's file).
   */
  writeClusterFirewall(firewall: Firewall, ctx: OpContext): Promise<void>;
  /**
   * Whether the host still has what a recorded target of `kind` named `name`
   * made (its block in the file, the account, the cluster file): read-only,
   * for live plans, so an account or block removed by hand builds again.
   */
  servicePresent(kind: HostServiceKind, name: string, ctx: OpContext): Promise<boolean>;
}
