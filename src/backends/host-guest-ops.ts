// Host operations a container needs of its node (issue 10): the
// /etc/subuid and /etc/subgid lines its id map uses, the host folder a bind
// mount shows it, the AppArmor profile it is confined by. HostOps extends
// this; the proxmox backend runs them as argv and host-file writes (locally,
// over SSH, or on the sim).
import type { OpContext } from './op-context.ts';

/** One `root:<start>:<count>` line of /etc/subuid or /etc/subgid. */
export interface SubidSpec {
  readonly file: '/etc/subuid' | '/etc/subgid';
  /** The user allowed to map the range: root, who starts containers on Proxmox. */
  readonly user: string;
  readonly start: number;
  readonly count: number;
}

/** A host folder a bind mount shows a container, with the owner the container's id map implies. */
export interface FolderSpec {
  /** Absolute path on the host. */
  readonly path: string;
  /** Host uid and gid (for an unprivileged container: 100000 + the container's id, unless mapped). */
  readonly uid: number;
  readonly gid: number;
}

export interface FolderState {
  readonly uid: number;
  readonly gid: number;
}

/** An AppArmor profile: installed as /etc/apparmor.d/<name>, loaded by apparmor_parser. */
export interface ProfileSpec {
  readonly name: string;
  /** The profile's text, as read from the project. */
  readonly text: string;
  /** Project files it includes (tunables, abstractions): path under /etc/apparmor.d → text, written first. */
  readonly includes: readonly { readonly path: string; readonly text: string }[];
}

export interface HostGuestOps {
  /** Whether the file already grants `user` every id of the range (one line or several). */
  subidCovered(spec: SubidSpec, ctx: OpContext): Promise<boolean>;
  /** Append the line; the file's other lines are kept as they are. */
  addSubid(spec: SubidSpec, ctx: OpContext): Promise<void>;
  /** The folder's owner; undefined when the path does not exist. */
  folderState(path: string, ctx: OpContext): Promise<FolderState | undefined>;
  /** `mkdir -p` the folder, then give the folder itself (not what it holds) its owner. */
  makeFolder(folder: FolderSpec, ctx: OpContext): Promise<void>;
  /** Whether the kernel has a profile of this name loaded. */
  profileLoaded(name: string, ctx: OpContext): Promise<boolean>;
  /** Write its includes and /etc/apparmor.d/<name>, then load it (`apparmor_parser -r -W`). */
  installProfile(profile: ProfileSpec, ctx: OpContext): Promise<void>;
}
