// Host targets of the hypervisor config's services (issue 10): the NFS
// exports, one per Samba share, the Samba user, the Linux and Proxmox users,
// the ARC limit and the cluster firewall. Each is fingerprinted by its own
// slice of the file, so editing one share re-applies that share only.
// Folders a service needs are ordered after the dataset that provides them.
import type { Project } from '../src/model/model.ts';
import type { Firewall, FirewallRule, SourceRef } from '../src/model/model.ts';
import type { HypervisorFile } from '../src/model/schema/hypervisor.ts';
import { hostTargetId, type TargetId } from '../src/core/target-id.ts';
import type { Edge, HostTarget, StorageTarget } from './target.ts';
import type { HostServiceTarget } from './host-service-target.ts';

/** What the bash setup granted the admin user in Proxmox (create_admin_user.sh). */
const pveAdminAcl = { aclPath: '/', role: 'Administrator' } as const;

/** `arc_max_gb` is GiB, as the bash setup multiplied it. */
const GIB = 1024 ** 3;

/** The folder a dataset is mounted on: its `mountpoint` property, else `/<pool>/<name>` (how phx creates it). */
function datasetFolders(targets: readonly HostTarget[]): Map<string, TargetId> {
  const folders = new Map<string, TargetId>();
  for (const t of targets)
    if (t.kind === 'zfs-dataset')
      folders.set(t.dataset.properties.mountpoint ?? `/${t.dataset.path}`, t.id);
  return folders;
}

/** The dataset whose folder holds `path` (the deepest one), if the config declares one. */
function providerOf(folders: ReadonlyMap<string, TargetId>, path: string): TargetId | undefined {
  let best: { id: TargetId; length: number } | undefined;
  for (const [folder, id] of folders)
    if ((path === folder || path.startsWith(`${folder}/`)) && folder.length > (best?.length ?? -1))
      best = { id, length: folder.length };
  return best?.id;
}

/** Samba's relative paths are the dataset's folder (`quickOS/shared` → `/quickOS/shared`), as the bash setup read them. */
export const absoluteFolder = (path: string): string => (path.startsWith('/') ? path : `/${path}`);

/** `"browseable=yes writable=yes"` or `{browseable: "yes"}` → smb.conf parameter pairs. */
export function shareParameters(
  options: string | Readonly<Record<string, string | boolean>> | undefined,
): [string, string][] {
  if (options === undefined) return [];
  if (typeof options === 'string')
    return options
      .split(/\s+/)
      .filter((w) => w !== '')
      .map((w) => {
        const at = w.indexOf('=');
        return at < 0 ? [w, ''] : [w.slice(0, at), w.slice(at + 1)];
      });
  return Object.entries(options).map(([k, v]) => [
    k.replace(/_/g, ' '),
    typeof v === 'boolean' ? (v ? 'yes' : 'no') : v,
  ]);
}

function hostFirewallOf(
  host: HypervisorFile,
): { pointer: string; value: NonNullable<HypervisorFile['firewall']> } | undefined {
  // Phoenix's later branch moves the host firewall to the top level; HEAD has it under shared_volumes.
  if (host.firewall !== undefined) return { pointer: '/firewall', value: host.firewall };
  const nested = host.shared_volumes?.firewall;
  return nested === undefined ? undefined : { pointer: '/shared_volumes/firewall', value: nested };
}

function firewallModel(fw: NonNullable<HypervisorFile['firewall']>): Firewall {
  const rules: FirewallRule[] = (fw.global_firewall_rules ?? []).map((r) => ({
    type: r.type,
    action: r.action,
    ...(r.macro === undefined ? {} : { macro: r.macro }),
    ...(r.source === undefined ? {} : { source: r.source }),
    ...(r.dest === undefined ? {} : { dest: r.dest }),
    ...(r.proto === undefined ? {} : { proto: r.proto }),
    ...(r.port === undefined ? {} : { port: r.port }),
    ...(r.dport === undefined ? {} : { dport: r.dport }),
    ...(r.sport === undefined ? {} : { sport: r.sport }),
    ...(r.iface === undefined ? {} : { iface: r.iface }),
    ...(r.log === undefined ? {} : { log: r.log }),
    ...(r.enable === undefined ? {} : { enable: r.enable === true || r.enable === 1 }),
    ...(r.comment === undefined ? {} : { comment: r.comment }),
  }));
  return {
    enabled: fw.enabled ?? false,
    ...(fw.default_input_policy === undefined ? {} : { policy_in: fw.default_input_policy }),
    ...(fw.default_output_policy === undefined ? {} : { policy_out: fw.default_output_policy }),
    rules,
  };
}

/** What the bash setup gave its NFS storages. */
const nfsContent = 'images,iso,vztmpl,backup,snippets';

/**
 * The NFS server the storages mount: `network.nfs_server`, else the host's
 * own address (the bash setup used `network.interfaces.address`).
 */
function nfsServer(host: HypervisorFile): { pointer: string; value: string } | undefined {
  const named = host.network?.nfs_server;
  if (named !== undefined) return { pointer: '/network/nfs_server', value: named };
  const own = host.network?.interfaces?.address;
  return own === undefined
    ? undefined
    : { pointer: '/network/interfaces/address', value: own.split('/')[0]! };
}

/**
 * A Proxmox storage per export, `nfs-<last folder>`, as the bash setup added
 * them (`pvesm add nfs`), after the exports it mounts.
 */
function nfsStorages(
  host: HypervisorFile,
  exports: NonNullable<HypervisorFile['nfs']>['exports'],
  exportsId: TargetId,
  at: (pointer: string) => SourceRef,
): StorageTarget[] {
  const server = nfsServer(host);
  if (server === undefined) return [];
  return exports.map((e, i) => {
    const storageId = `nfs-${e.path.replace(/\/+$/, '').split('/').at(-1) ?? ''}`;
    const id = hostTargetId('storage', storageId);
    return {
      entry: 'host' as const,
      files: [],
      pools: ['host'],
      id,
      kind: 'storage' as const,
      source: at(`/nfs/exports/${i}`),
      config: { [`/nfs/exports/${i}/path`]: e.path, [server.pointer]: server.value },
      deps: [{ from: exportsId, to: id, kind: 'order' as const }],
      storage: {
        id: storageId,
        type: 'nfs' as const,
        target: e.path,
        server: server.value,
        content: nfsContent,
      },
    };
  });
}

/** The service targets of the host; `storageTargets` are the pools, datasets and storages already expanded. */
export function expandHostServices(
  project: Project,
  file: string,
  storageTargets: readonly HostTarget[],
): (HostServiceTarget | StorageTarget)[] {
  const host = project.host as HypervisorFile;
  const folders = datasetFolders(storageTargets);
  const out: (HostServiceTarget | StorageTarget)[] = [];
  const common = { entry: 'host' as const, files: [], pools: ['host'] };
  const at = (pointer: string): SourceRef => ({ file, pointer });
  const after = (provider: TargetId | undefined, id: TargetId): Edge[] =>
    provider === undefined ? [] : [{ from: provider, to: id, kind: 'order' }];

  const exports = host.nfs?.exports ?? [];
  if (exports.length > 0) {
    const id = hostTargetId('nfs-exports', 'exports');
    const providers = new Set(
      exports.flatMap((e) => {
        const p = providerOf(folders, e.path);
        return p === undefined ? [] : [p];
      }),
    );
    out.push({
      ...common,
      id,
      kind: 'nfs-exports',
      source: at('/nfs/exports'),
      config: { '/nfs/exports': exports },
      deps: [...providers].map((from) => ({ from, to: id, kind: 'order' as const })),
      exports: exports.map((e) => ({ path: e.path, clients: e.clients, options: e.options })),
    });
    out.push(...nfsStorages(host, exports, id, at));
  }

  const users = host.users;
  const linuxUser = users === undefined ? undefined : hostTargetId('linux-user', users.username);
  if (users !== undefined && linuxUser !== undefined) {
    const keys = ['username', 'password_hash', 'sudo_access', 'ssh_public_key'] as const;
    out.push({
      ...common,
      id: linuxUser,
      kind: 'linux-user',
      source: at('/users'),
      config: Object.fromEntries(keys.map((k) => [`/users/${k}`, users[k] ?? null])),
      deps: [],
      user: {
        name: users.username,
        sudo: users.sudo_access ?? false,
        sshPublicKey: (users.ssh_public_key ?? '').trim(),
      },
      passwordPointer: '/users/password_hash',
    });
    const userid = `${users.username}@pam`;
    const id = hostTargetId('pve-user', userid);
    out.push({
      ...common,
      id,
      kind: 'pve-user',
      source: at('/users/username'),
      // The ACL is phx's constant (a rule input through the rule's digest), not config.
      config: { '/users/username': users.username },
      deps: [{ from: linuxUser, to: id, kind: 'order' }],
      pveUser: { userid, ...pveAdminAcl },
    });
  }

  const samba = host.samba;
  if (samba?.user !== undefined) {
    const id = hostTargetId('samba-user', samba.user);
    const sameAsUsers = users?.username === samba.user;
    out.push({
      ...common,
      id,
      kind: 'samba-user',
      source: at('/samba/user'),
      // The password enters as a keyed digest of what it resolves to (secrets.ts).
      config: { '/samba/user': samba.user, '/samba/password': samba.password ?? null },
      deps: sameAsUsers && linuxUser !== undefined ? after(linuxUser, id) : [],
      sambaUser: { name: samba.user, createAccount: !sameAsUsers },
      passwordPointer: '/samba/password',
    });
  }
  (samba?.shares ?? []).forEach((s, i) => {
    const id = hostTargetId('samba-share', s.name);
    const path = absoluteFolder(s.path);
    out.push({
      ...common,
      id,
      kind: 'samba-share',
      source: at(`/samba/shares/${i}`),
      config: { [`/samba/shares/${i}`]: s },
      deps: after(providerOf(folders, path), id),
      share: {
        name: s.name,
        path,
        parameters: shareParameters(s.options),
        validUsers: s.valid_users,
      },
    });
  });

  const arc = host.zfs?.arc_max_gb;
  if (arc !== undefined) {
    out.push({
      ...common,
      id: hostTargetId('arc-limit', 'zfs_arc_max'),
      kind: 'arc-limit',
      source: at('/zfs/arc_max_gb'),
      config: { '/zfs/arc_max_gb': arc },
      deps: [],
      bytes: arc * GIB,
    });
  }

  const fw = hostFirewallOf(host);
  if (fw !== undefined) {
    out.push({
      ...common,
      id: hostTargetId('cluster-firewall', 'cluster'),
      kind: 'cluster-firewall',
      source: at(fw.pointer),
      config: { [fw.pointer]: fw.value },
      deps: [],
      firewall: firewallModel(fw.value),
    });
  }
  return out;
}
