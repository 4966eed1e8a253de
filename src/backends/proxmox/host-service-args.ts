// Command lines and file texts of the host-service operations
// (host-service-ops.ts), as argv: config values are argv elements, never
// shell text. The same lines run on a real node and on the sim.
import type {
  LinuxUserSpec,
  NfsExportSpec,
  PveUserSpec,
  SambaShareSpec,
} from '../host-service-ops.ts';
import type { StorageSpec } from '../backend.ts';

export const EXPORTS_FILE = '/etc/exports';
export const SMB_CONF = '/etc/samba/smb.conf';
export const ZFS_MODPROBE = '/etc/modprobe.d/zfs.conf';
export const ARC_MAX_PARAM = '/sys/module/zfs/parameters/zfs_arc_max';
export const CLUSTER_FW = '/etc/pve/firewall/cluster.fw';

/** The mark in a user's comment (GECOS) saying phx created the account. */
export const PHX_ACCOUNT_COMMENT = 'phx-managed';

/**
 * One /etc/exports line per export, each client with its options
 * (`/p 10.0.0.1(rw,sync) 10.0.0.2(rw,sync)`). The bash setup wrote
 * `c1,c2(opts)`, which exports(5) reads as one host name with commas.
 */
export function exportsBody(exports: readonly NfsExportSpec[]): string {
  return exports
    .map((e) => {
      const opts = e.options.length === 0 ? '' : `(${e.options.join(',')})`;
      return [e.path, ...e.clients.map((c) => `${c}${opts}`)].join(' ');
    })
    .join('\n');
}

export const exportfsArgs = (): string[] => ['exportfs', '-ra'];

/**
 * The share's smb.conf section: its options, `valid users`, and the 0770
 * masks the bash setup gave every share.
 */
export function shareSection(s: SambaShareSpec): string {
  const lines = [`[${s.name}]`, `   path = ${s.path}`];
  for (const [k, v] of s.parameters) lines.push(`   ${k} = ${v}`);
  if (s.validUsers.length > 0) lines.push(`   valid users = ${s.validUsers.join(' ')}`);
  lines.push('   create mask = 0770', '   directory mask = 0770');
  return lines.join('\n');
}

/** `stat` exits 1 for a missing path (the folder model of the sim answers it too). */
export const folderExistsArgs = (path: string): string[] => ['stat', '-c', '%u:%g', '--', path];
export const testparmArgs = (file: string): string[] => ['testparm', '-s', file];
export const reloadSambaArgs = (): string[] => ['systemctl', 'try-reload-or-restart', 'smbd'];

export const userExistsArgs = (name: string): string[] => ['id', '-u', name];
export const userGroupsArgs = (name: string): string[] => ['id', '-nG', name];
export const passwdEntryArgs = (name: string): string[] => ['getent', 'passwd', name];

/** An account that only Samba logs in to: no home, no shell. */
export const addServiceAccountArgs = (name: string): string[] => [
  'useradd',
  '--system',
  '--no-create-home',
  '--shell',
  '/usr/sbin/nologin',
  '--comment',
  PHX_ACCOUNT_COMMENT,
  name,
];

/** What the bash setup made the admin user: a home and bash. */
export const addLoginAccountArgs = (u: LinuxUserSpec): string[] => [
  'useradd',
  '--create-home',
  '--shell',
  '/bin/bash',
  '--comment',
  PHX_ACCOUNT_COMMENT,
  u.name,
];

/** `name:hash` goes on stdin. */
export const setPasswordHashArgs = (): string[] => ['chpasswd', '-e'];
export const addToSudoArgs = (name: string): string[] => ['usermod', '-aG', 'sudo', name];
export const removeFromSudoArgs = (name: string): string[] => ['gpasswd', '-d', name, 'sudo'];
export const sshDirArgs = (name: string, dir: string): string[] => [
  'install',
  '-d',
  '-m',
  '700',
  '-o',
  name,
  '-g',
  name,
  dir,
];
/** The file's text on stdin, written with its owner and mode in one step. */
export const installFileArgs = (name: string, file: string): string[] => [
  'install',
  '-m',
  '600',
  '-o',
  name,
  '-g',
  name,
  '/dev/stdin',
  file,
];

/** The password twice on stdin (`-s`: no prompt). */
export const smbAddArgs = (name: string): string[] => ['smbpasswd', '-s', '-a', name];

export const pveUserListArgs = (): string[] => ['pveum', 'user', 'list', '--output-format', 'json'];
export const pveUserAddArgs = (u: PveUserSpec): string[] => [
  'pveum',
  'user',
  'add',
  u.userid,
  '--comment',
  PHX_ACCOUNT_COMMENT,
];
export const pveAclArgs = (u: PveUserSpec): string[] => [
  'pveum',
  'acl',
  'modify',
  u.aclPath,
  '--users',
  u.userid,
  '--roles',
  u.role,
];

/** The user ids of `pveum user list --output-format json`. */
export function pveUserIds(json: string): string[] {
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap((u: unknown) =>
    typeof u === 'object' && u !== null && typeof (u as { userid?: unknown }).userid === 'string'
      ? [(u as { userid: string }).userid]
      : [],
  );
}

export const arcOptionLine = (bytes: number): string => `options zfs zfs_arc_max=${bytes}`;
/** The live value goes on stdin: sysfs takes a write, not a rename. */
export const arcLiveArgs = (): string[] => ['tee', ARC_MAX_PARAM];
/** Root on ZFS reads modprobe.d from the initramfs at boot. */
export const updateInitramfsArgs = (): string[] => ['update-initramfs', '-u', '-k', 'all'];

/** Where the bash setup mounted its NFS storages (`/mnt/nfs/<id>`), kept so a node it set up matches. */
export const nfsMountFolder = (id: string): string => `/mnt/nfs/${id}`;

/** `pvesm add nfs` as the bash setup ran it (NFSv4, soft mounts). */
export function addNfsStorageArgs(s: StorageSpec): string[] {
  return [
    'pvesm',
    'add',
    'nfs',
    s.id,
    '--server',
    s.server ?? '',
    '--export',
    s.target,
    '--path',
    nfsMountFolder(s.id),
    '--content',
    s.content,
    '--options',
    'vers=4,soft,timeo=30,retrans=3',
  ];
}
