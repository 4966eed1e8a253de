// The rules of the host-service kinds (src/core/host-service-kinds.ts), one
// per kind, spread into the registry (index.ts).
import type { Rule } from './rule.ts';
import type { HostServiceKind } from '../src/core/host-service-kinds.ts';
import { rule as nfsExports } from './nfs-exports.ts';
import { rule as sambaShare } from './samba-share.ts';
import { rule as sambaUser } from './samba-user.ts';
import { rule as linuxUser } from './linux-user.ts';
import { rule as pveUser } from './pve-user.ts';
import { rule as arcLimit } from './arc-limit.ts';
import { rule as clusterFirewall } from './cluster-firewall.ts';

export const hostServiceRules: { readonly [K in HostServiceKind]: Rule<K> } = {
  'nfs-exports': nfsExports,
  'samba-share': sambaShare,
  'samba-user': sambaUser,
  'linux-user': linuxUser,
  'pve-user': pveUser,
  'arc-limit': arcLimit,
  'cluster-firewall': clusterFirewall,
};
