// The sim node's model of one container, as persisted in `<dir>/lxc/<id>.json`.
import type { LockName } from './pct-spec.ts';

/** One section of a CT config: the main one, or a snapshot's. */
export interface ConfigSection {
  /** The `#` comment lines at the top (Proxmox's description). */
  description: string;
  /** `key: value` lines; snapshots also hold `snaptime` and `parent` here. */
  keys: Record<string, string>;
  /** Raw `lxc.*` lines, in file order (keys may repeat). */
  raw: [string, string][];
}

export type FsEntry =
  | { readonly type: 'dir'; mode: number }
  | {
      readonly type: 'file';
      mode: number;
      readonly size: number;
      /** Content lives in `<dir>/blobs/<sha256>`, shared by snapshots and clones. */
      readonly sha256: string;
      readonly uid?: string;
      readonly gid?: string;
    };

/** The CT's filesystem: absolute path → entry. Only what phx put there, plus the base dirs. */
export type FsModel = Record<string, FsEntry>;

export interface SnapshotState {
  readonly name: string;
  config: ConfigSection;
  readonly fs: FsModel;
}

export interface CtLock {
  readonly name: LockName;
  /** The process that holds it; a lock whose process died is stale. Absent when written by hand. */
  readonly pid?: number;
  readonly since: number;
}

export interface CtState {
  readonly vmid: number;
  status: 'running' | 'stopped';
  lock?: CtLock;
  config: ConfigSection;
  /** Oldest first: on ZFS only the last one can be rolled back to. */
  snapshots: SnapshotState[];
  fs: FsModel;
  /**
   * Files of storage volumes the CT owns but does not mount (`unusedN`), by
   * volume id, paths relative to the volume's root. A mounted volume's files
   * live in `fs` under its mount path.
   */
  volumes?: Record<string, FsModel>;
  /** `[pve:pending]`: what `pct set` could not hot-plug into the running CT, applied at its next start. */
  pending?: { keys: Record<string, string>; delete: string[] };
  /** Raw `lxc.*` lines of /var/lib/lxc/<id>/config, written at the last start. */
  lxcConfig?: [string, string][];
}

/** Directories every template has, so `pct push` to /tmp works without a mkdir. */
export const baseDirs = [
  '/',
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/etc/systemd',
  '/etc/systemd/system',
  '/home',
  '/lib',
  '/media',
  '/mnt',
  '/opt',
  '/proc',
  '/root',
  '/run',
  '/sbin',
  '/srv',
  '/sys',
  '/tmp',
  '/usr',
  '/usr/bin',
  '/usr/lib',
  '/usr/local',
  '/usr/local/bin',
  '/usr/sbin',
  '/usr/share',
  '/var',
  '/var/lib',
  '/var/log',
  '/var/tmp',
];

export function emptySection(): ConfigSection {
  return { description: '', keys: {}, raw: [] };
}

export function baseFs(): FsModel {
  const fs: FsModel = {};
  for (const d of baseDirs)
    fs[d] = { type: 'dir', mode: d === '/tmp' || d === '/var/tmp' ? 0o1777 : 0o755 };
  return fs;
}

export function cloneSection(s: ConfigSection): ConfigSection {
  return { description: s.description, keys: { ...s.keys }, raw: s.raw.map(([k, v]) => [k, v]) };
}

export function cloneFs(fs: FsModel): FsModel {
  const out: FsModel = {};
  for (const [p, e] of Object.entries(fs)) out[p] = { ...e };
  return out;
}

/** The snapshot rollback may go to: the most recent one (ZFS). */
export function newestSnapshot(ct: CtState): SnapshotState | undefined {
  return ct.snapshots[ct.snapshots.length - 1];
}
