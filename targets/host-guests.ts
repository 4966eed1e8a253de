// Host targets the containers need (issue 10), derived from the container
// entries: a subuid/subgid grant per distinct id-map range the node lacks by
// default, a host folder per bind-mount source, an AppArmor profile per name
// other than Proxmox's own. Each is fingerprinted by the keys that shape it
// and feeds the containers that need it through `order` edges to their base
// (create/clone): what a container reads of it (the map, the path, the
// profile's name) is already in that container's settings slice, so
// re-applying one (a profile edited, a folder re-owned) rebuilds no guest.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Guest, Project } from '../src/model/model.ts';
import type { HypervisorFile } from '../src/model/schema/hypervisor.ts';
import type { GuestId } from '../src/core/ids.ts';
import { hostTargetId, type TargetId } from '../src/core/target-id.ts';
import type { FolderSpec, SubidSpec } from '../src/backends/host-guest-ops.ts';
import type { Edge } from './target.ts';
import type {
  ApparmorProfileTarget,
  BindFolderTarget,
  HostGuestTarget,
  SubidTarget,
} from './host-guest-target.ts';
import { valueAt } from './pointers.ts';

/** The ids a fresh Proxmox node grants root in /etc/subuid and /etc/subgid. */
export const defaultSubidStart = 100000;
export const defaultSubidCount = 65536;

/** Profiles Proxmox's lxc package ships and loads: nothing to install. */
export function isShippedProfile(name: string): boolean {
  return name === 'unconfined' || name === 'generated' || name.startsWith('lxc-container-default');
}

/** Where a profile named by an entry is read from: `configs/apparmor/<name>`. */
export function profileFile(project: Pick<Project, 'configDir'>, name: string): string {
  return join(project.configDir, 'apparmor', name);
}

export interface HostGuestExpansion {
  readonly targets: HostGuestTarget[];
  /** Order edges into `to` (a container's base) from the host targets its guest needs. */
  readonly edgesTo: (guest: GuestId, to: TargetId) => Edge[];
}

interface IdMap {
  readonly type: 'uid' | 'gid';
  readonly hostId: number;
  readonly containerId: number;
  readonly size: number;
}

function idMaps(guest: Guest): IdMap[] {
  const raw = guest.config.id_maps;
  if (!Array.isArray(raw)) return [];
  return (raw as unknown[]).flatMap((m) => {
    const o = (m ?? {}) as Record<string, unknown>;
    const type = o.type === 'uid' || o.type === 'gid' ? o.type : undefined;
    const [hostId, containerId, size] = [o.host_id, o.container_id, o.size ?? 1].map(Number);
    return type !== undefined &&
      Number.isInteger(hostId) &&
      Number.isInteger(containerId) &&
      Number.isInteger(size)
      ? [{ type, hostId: hostId!, containerId: containerId!, size: size! }]
      : [];
  });
}

/**
 * The host id a container id is on the host: itself in a privileged
 * container; in an unprivileged one, what its id map says, else the
 * default 100000 + id (raw-lines.ts idMapLines fills the gaps that way).
 */
export function hostIdOf(guest: Guest, type: 'uid' | 'gid', id: number): number {
  if (!guest.unprivileged) return id;
  const m = idMaps(guest).find(
    (x) => x.type === type && id >= x.containerId && id < x.containerId + x.size,
  );
  return m === undefined ? defaultSubidStart + id : m.hostId + (id - m.containerId);
}

const inDefaultRange = (m: IdMap): boolean =>
  m.hostId >= defaultSubidStart && m.hostId + m.size <= defaultSubidStart + defaultSubidCount;

const intOr = (v: unknown, fallback: number): number =>
  Number.isInteger(Number(v)) && v !== undefined && v !== null && v !== '' ? Number(v) : fallback;

/**
 * The entry's own values at entry-relative pointers, keyed by file pointer
 * (these keys are per entry: the LXC file's root does not set them).
 */
function entrySlice(guest: Guest, pointers: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(
    pointers.map((p) => [guest.source.pointer + p, valueAt(guest.config, p) ?? null]),
  );
}

/** `/mnt/x/` → `/mnt/x`: one folder, one target. */
const normalFolder = (path: string): string => path.replace(/\/+$/, '') || '/';

export function expandHostGuests(project: Project): HostGuestExpansion {
  const file = relative(process.cwd(), project.files.lxc) || project.files.lxc;
  const common = { entry: 'host' as const, pools: ['host'] };
  const targets = new Map<TargetId, HostGuestTarget>();
  const needs = new Map<GuestId, Set<TargetId>>();
  const need = (guest: GuestId, id: TargetId) => {
    let set = needs.get(guest);
    if (!set) needs.set(guest, (set = new Set()));
    set.add(id);
  };
  const lxcs = [...project.guests.values()]
    .filter((g) => g.kind === 'lxc')
    .sort((a, b) => a.id - b.id);

  // subuid/subgid: one target per grant, shared by every container that needs it.
  for (const guest of lxcs) {
    if (!guest.unprivileged) continue;
    idMaps(guest).forEach((m, i) => {
      if (inDefaultRange(m)) return;
      const subid: SubidSpec = {
        file: m.type === 'uid' ? '/etc/subuid' : '/etc/subgid',
        user: 'root',
        start: m.hostId,
        count: m.size,
      };
      const name = `${m.type === 'uid' ? 'subuid' : 'subgid'}/root:${m.hostId}:${m.size}`;
      const id = hostTargetId('subid', name);
      if (!targets.has(id)) {
        const pointer = `${guest.source.pointer}/id_maps/${i}`;
        const target: SubidTarget = {
          ...common,
          id,
          kind: 'subid',
          source: { file, pointer },
          // What the grant reads of the first map asking for it (not
          // `container_id`): a second container asking for the same grant
          // re-applies nothing.
          config: {
            [`${pointer}/type`]: m.type,
            [`${pointer}/host_id`]: m.hostId,
            [`${pointer}/size`]: m.size,
          },
          files: [],
          deps: [],
          subid,
        };
        targets.set(id, target);
      }
      need(guest.id, id);
    });
  }

  // Bind-mount folders: one target per host path.
  const folders = new Map<
    string,
    {
      guests: Guest[];
      slice: Record<string, unknown>;
      owners: { uid: number; gid: number; explicit: boolean; who: string }[];
      pointer: string;
    }
  >();
  for (const guest of lxcs) {
    const mounts = guest.config.mount_points;
    if (!Array.isArray(mounts)) continue;
    (mounts as unknown[]).forEach((raw, i) => {
      const m = (raw ?? {}) as Record<string, unknown>;
      if (typeof m.host_path !== 'string' || !m.host_path.startsWith('/')) return;
      const path = normalFolder(m.host_path);
      const at = `/mount_points/${i}`;
      let f = folders.get(path);
      if (!f) {
        f = { guests: [], slice: {}, owners: [], pointer: `${guest.source.pointer}${at}` };
        folders.set(path, f);
      }
      if (!f.guests.includes(guest)) f.guests.push(guest);
      Object.assign(
        f.slice,
        entrySlice(guest, [
          `${at}/host_path`,
          `${at}/owner_uid`,
          `${at}/owner_gid`,
          '/unprivileged',
          '/id_maps',
        ]),
      );
      const explicit = m.owner_uid !== undefined || m.owner_gid !== undefined;
      f.owners.push({
        uid: hostIdOf(guest, 'uid', intOr(m.owner_uid, 0)),
        gid: hostIdOf(guest, 'gid', intOr(m.owner_gid, 0)),
        explicit,
        who: `${guest.id}${at}`,
      });
    });
  }
  for (const [path, f] of folders) {
    const id = hostTargetId('bind-folder', path.slice(1));
    // An owner given explicitly decides; a mount that names none takes what it gets.
    const decided = f.owners.filter((o) => o.explicit);
    const owner = decided[0] ?? f.owners[0]!;
    const conflicts = decided
      .filter((o) => o.uid !== owner.uid || o.gid !== owner.gid)
      .map((o) => `${o.who} implies ${o.uid}:${o.gid}`);
    const folder: FolderSpec = { path, uid: owner.uid, gid: owner.gid };
    const target: BindFolderTarget = {
      ...common,
      id,
      kind: 'bind-folder',
      source: { file, pointer: f.pointer },
      config: f.slice,
      files: [],
      deps: datasetEdge(project, path, id),
      folder,
      conflicts:
        conflicts.length === 0
          ? []
          : [`${owner.who} implies ${owner.uid}:${owner.gid}`, ...conflicts],
    };
    targets.set(id, target);
    for (const g of f.guests) need(g.id, id);
  }

  // AppArmor profiles other than the ones Proxmox ships.
  for (const guest of lxcs) {
    const name = guest.config.apparmor_profile;
    if (typeof name !== 'string' || isShippedProfile(name)) continue;
    const id = hostTargetId('apparmor-profile', name);
    if (!targets.has(id)) {
      const path = profileFile(project, name);
      const target: ApparmorProfileTarget = {
        ...common,
        id,
        kind: 'apparmor-profile',
        source: { file, pointer: `${guest.source.pointer}/apparmor_profile` },
        // The profile's bytes are its input; which containers name it is not.
        config: {},
        files: existsSync(path) ? [path, ...includedFiles(project, path)] : [],
        deps: [],
        profile: { name, file: path },
      };
      targets.set(id, target);
    }
    need(guest.id, id);
  }

  return {
    targets: [...targets.values()],
    edgesTo: (guest, to) =>
      [...(needs.get(guest) ?? [])].map((from) => ({ from, to, kind: 'order' as const })),
  };
}

/**
 * An order edge from the dataset whose mountpoint (`/<pool>/<name>`) holds
 * the folder, the deepest one: a folder made before its dataset is mounted
 * lands on the root filesystem and then keeps `zfs create` from mounting
 * over it.
 */
function datasetEdge(project: Project, path: string, to: TargetId): Edge[] {
  const zfs = (project.host as HypervisorFile).zfs;
  const holders = (zfs?.datasets ?? [])
    .map((d) => `${d.pool}/${d.name}`)
    .filter((ds) => path === `/${ds}` || path.startsWith(`/${ds}/`))
    .sort((a, b) => b.length - a.length);
  const from = holders[0];
  return from === undefined ? [] : [{ from: hostTargetId('zfs-dataset', from), to, kind: 'order' }];
}

/**
 * Project files a profile includes (`#include <tunables/phoenix>`,
 * `include <abstractions/x>`) that exist under `configs/apparmor/`: they are
 * installed with it and are inputs of it. An include the project lacks is
 * the node's own (tunables/global, abstractions/lxc/container-base).
 */
export function includedFiles(project: Pick<Project, 'configDir'>, profilePath: string): string[] {
  const text = readFileSync(profilePath, 'utf8');
  const out: string[] = [];
  for (const rel of profileIncludes(text)) {
    const path = join(project.configDir, 'apparmor', rel);
    if (existsSync(path) && !out.includes(path)) out.push(path);
  }
  return out;
}

/** The `<…>` paths a profile text includes, relative to /etc/apparmor.d. */
export function profileIncludes(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*#?include(?:\s+if\s+exists)?\s+<([^>]+)>/gm)) out.push(m[1]!);
  return out;
}
