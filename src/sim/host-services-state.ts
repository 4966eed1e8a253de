// The sim node's accounts, Samba passdb, Proxmox users and ACLs, the live
// ARC limit and the active NFS exports, kept in
// `<dir>/host-services.json`. Files (/etc/exports, smb.conf, modprobe.d…)
// are host files under `<dir>/host/` (host-files.ts). No secret is kept:
// a password or hash is stored as a SHA-256 digest, as a passdb keeps a
// hash, so a test can tell that one was set, and to what, without it.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SimAccount {
  readonly uid: number;
  readonly home: string;
  readonly shell: string;
  /** GECOS: `phx-managed` for accounts phx made. */
  readonly comment: string;
  /** Supplementary groups (the primary group is the account's own name). */
  groups: string[];
  passwordDigest?: string;
}

export interface SimAcl {
  readonly path: string;
  readonly ugid: string;
  readonly role: string;
}

export interface HostServicesState {
  accounts: Record<string, SimAccount>;
  /** Samba passdb: user → digest of the password. */
  samba: Record<string, string>;
  pveUsers: Record<string, { comment?: string }>;
  acl: SimAcl[];
  /** /sys/module/zfs/parameters/zfs_arc_max; 0 is ZFS's "default". */
  arcMax: number;
  /** Paths exported by the last `exportfs -ra`. */
  exported: string[];
  /** Service → reload count (systemctl). */
  reloads: Record<string, number>;
}

/** A fresh Proxmox install: root, the usual groups, root@pam an Administrator. */
function fresh(): HostServicesState {
  return {
    accounts: {
      root: { uid: 0, home: '/root', shell: '/bin/bash', comment: 'root', groups: ['root'] },
    },
    samba: {},
    pveUsers: { 'root@pam': {} },
    acl: [{ path: '/', ugid: 'root@pam', role: 'Administrator' }],
    arcMax: 0,
    exported: [],
    reloads: {},
  };
}

/** Groups every install has (useradd's own groups come with their accounts). */
export const systemGroups = new Set([
  'root',
  'sudo',
  'adm',
  'users',
  'staff',
  'www-data',
  'nogroup',
]);

export const digestOf = (secret: string): string =>
  createHash('sha256').update(secret).digest('hex');

export class HostServicesStore {
  private readonly file: string;

  constructor(dir: string) {
    this.file = join(dir, 'host-services.json');
  }

  read(): HostServicesState {
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as HostServicesState;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      return fresh();
    }
  }

  /** Replace the state whole (temp file renamed over it). */
  write(state: HostServicesState): void {
    mkdirSync(join(this.file, '..'), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n');
    renameSync(tmp, this.file);
  }
}
