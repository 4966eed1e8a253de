// Host kinds for the services the hypervisor config declares beside its
// storage (issue 10): NFS exports, Samba shares and user, the Linux and
// Proxmox users, the ZFS ARC limit and the cluster firewall. Listed apart so
// target-id.ts takes them with one spread.
export const hostServiceKinds = [
  'nfs-exports',
  'samba-share',
  'samba-user',
  'linux-user',
  'pve-user',
  'arc-limit',
  'cluster-firewall',
] as const;

export type HostServiceKind = (typeof hostServiceKinds)[number];
