// Targets of the host that containers need (issue 10): each holds what its
// rule applies, derived from the container entries that need it.
import type { HostBase } from './target-base.ts';
import type { FolderSpec, SubidSpec } from '../src/backends/host-guest-ops.ts';

/** One subuid/subgid grant an id map needs (`root:33:1` in /etc/subgid). */
export interface SubidTarget extends HostBase<'subid'> {
  readonly subid: SubidSpec;
}

/** The host folder of a bind mount, owned as the mounting containers' id maps imply. */
export interface BindFolderTarget extends HostBase<'bind-folder'> {
  readonly folder: FolderSpec;
  /** The other owners some mounting container implies: non-empty, the rule refuses to pick. */
  readonly conflicts: readonly string[];
}

/** An AppArmor profile an entry names, installed from `configs/apparmor/<name>`. */
export interface ApparmorProfileTarget extends HostBase<'apparmor-profile'> {
  readonly profile: {
    readonly name: string;
    /** Absolute path of the profile file in the workspace (also in `files` when it exists). */
    readonly file: string;
  };
}

export type HostGuestTarget = SubidTarget | BindFolderTarget | ApparmorProfileTarget;
