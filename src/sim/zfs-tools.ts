// `zpool`, `zfs` and `pvesm` on the sim node: the subcommands the proxmox
// backend's host operations run (src/backends/proxmox/host-args.ts), with
// the refusals and messages of the real tools.
import { done, type Outcome } from './node.ts';
import type { HostStorage, HostStorageState } from './host-storage.ts';
import { zfsPropertyProblem } from '../model/pve/zfs-properties.ts';

const fail = (message: string, exitCode = 1): Outcome => ({
  exitCode,
  stdout: '',
  stderr: `${message}\n`,
});

const layouts = new Set(['mirror', 'raidz', 'raidz1', 'raidz2', 'raidz3']);
const namePattern = /^[A-Za-z][A-Za-z0-9_.:-]*$/;

/** `-o k=v` / `-O k=v` pairs and the words left. */
function options(
  words: readonly string[],
  flags: readonly string[],
): { props: Record<string, string>; rest: string[] } | string {
  const props: Record<string, string> = {};
  const rest: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (flags.includes(w)) {
      const kv = words[++i];
      const at = kv?.indexOf('=') ?? -1;
      if (kv === undefined || at <= 0) return `bad property list: '${kv ?? ''}' is not name=value`;
      props[kv.slice(0, at)] = kv.slice(at + 1);
    } else rest.push(w);
  }
  return { props, rest };
}

function diskHolder(state: HostStorageState, disk: string): string | undefined {
  return Object.entries(state.pools).find(([, p]) => p.disks.includes(disk))?.[0];
}

export function zpool(host: HostStorage, words: readonly string[]): Outcome {
  const state = host.read();
  const [sub, ...rest] = words;
  if (sub === 'list') {
    const names = rest.filter((w, i) => !w.startsWith('-') && rest[i - 1] !== '-o');
    for (const n of names) if (!state.pools[n]) return fail(`cannot open '${n}': no such pool`);
    const shown = names.length > 0 ? names : Object.keys(state.pools).sort();
    return done(shown.map((n) => `${n}\n`).join(''));
  }
  if (sub === 'create') {
    const o = options(
      rest.filter((w) => w !== '-f'),
      ['-o', '-O'],
    );
    if (typeof o === 'string') return fail(o, 2);
    const [name, ...vdev] = o.rest;
    if (name === undefined || !namePattern.test(name))
      return fail(`cannot create '${name ?? ''}': invalid pool name`, 2);
    if (state.pools[name]) return fail(`cannot create '${name}': pool already exists`);
    const layout = vdev[0] !== undefined && layouts.has(vdev[0]) ? vdev.shift()! : 'single';
    if (vdev.length === 0)
      return fail(`invalid vdev specification: no disks given for '${name}'`, 2);
    if (layout === 'mirror' && vdev.length < 2)
      return fail('invalid vdev specification: mirror requires at least 2 devices', 2);
    for (const disk of vdev) {
      if (!disk.startsWith('/dev/')) return fail(`cannot open '${disk}': no such device in /dev`);
      const holder = diskHolder(state, disk);
      if (holder)
        return fail(`invalid vdev specification\n${disk} is part of active pool '${holder}'`);
    }
    state.pools[name] = { disks: vdev, layout };
    host.write(state);
    return done();
  }
  return fail(`unrecognized command '${sub ?? ''}'`, 2);
}

export function zfs(host: HostStorage, words: readonly string[]): Outcome {
  const state = host.read();
  const [sub, ...rest] = words;
  const exists = (path: string) =>
    Object.hasOwn(state.datasets, path) || Object.hasOwn(state.pools, path);
  if (sub === 'list') {
    const names = rest.filter((w, i) => !w.startsWith('-') && rest[i - 1] !== '-o');
    for (const n of names)
      if (!exists(n)) return fail(`cannot open '${n}': dataset does not exist`);
    const shown =
      names.length > 0
        ? names
        : [...Object.keys(state.pools), ...Object.keys(state.datasets)].sort();
    return done(shown.map((n) => `${n}\n`).join(''));
  }
  if (sub === 'create') {
    const o = options(
      rest.filter((w) => w !== '-p'),
      ['-o'],
    );
    if (typeof o === 'string') return fail(o, 2);
    const path = o.rest[0];
    if (path === undefined || o.rest.length !== 1)
      return fail('usage: zfs create [-p] [-o property=value] ... <filesystem>', 2);
    const pool = path.split('/')[0]!;
    if (!state.pools[pool]) return fail(`cannot create '${path}': no such pool '${pool}'`);
    const parent = path.slice(0, path.lastIndexOf('/'));
    if (!path.includes('/') || !exists(parent))
      return fail(`cannot create '${path}': parent does not exist`);
    if (exists(path)) return fail(`cannot create '${path}': dataset already exists`);
    for (const name of Object.keys(o.props)) {
      const bad = zfsPropertyProblem(name);
      if (bad !== undefined) return fail(`bad property list: ${bad}`, 2);
    }
    state.datasets[path] = o.props;
    host.write(state);
    return done();
  }
  if (sub === 'set') {
    const path = rest.at(-1);
    const pairs = rest.slice(0, -1);
    if (path === undefined || pairs.length === 0)
      return fail('usage: zfs set <property=value> ... <filesystem>', 2);
    if (!exists(path)) return fail(`cannot open '${path}': dataset does not exist`);
    const props = { ...(state.datasets[path] ?? {}) };
    for (const kv of pairs) {
      const at = kv.indexOf('=');
      if (at <= 0) return fail(`missing '=' for property=value argument '${kv}'`, 2);
      const bad = zfsPropertyProblem(kv.slice(0, at));
      if (bad !== undefined) return fail(`bad property list: ${bad}`, 2);
      props[kv.slice(0, at)] = kv.slice(at + 1);
    }
    if (Object.hasOwn(state.datasets, path)) state.datasets[path] = props;
    host.write(state);
    return done();
  }
  if (sub === 'get') {
    // `zfs get -H -o value NAME PATH` (what the backend asks), else every property.
    const path = rest.at(-1) ?? '';
    if (!exists(path)) return fail(`cannot open '${path}': dataset does not exist`);
    const props = state.datasets[path] ?? {};
    const named = rest.filter((w, i) => !w.startsWith('-') && rest[i - 1] !== '-o').slice(0, -1);
    if (named.length === 1 && rest.includes('value')) return done(`${props[named[0]!] ?? '-'}\n`);
    return done(
      Object.entries(props)
        .map(([k, v]) => `${k}\t${v}\n`)
        .join(''),
    );
  }
  if (sub === 'inherit') {
    const [name, path] = rest.filter((w) => w !== '-r');
    if (name === undefined || path === undefined || rest.length > 3)
      return fail('usage: zfs inherit [-rS] <property> <filesystem|volume|snapshot> ...', 2);
    if (!exists(path)) return fail(`cannot open '${path}': dataset does not exist`);
    const bad = zfsPropertyProblem(name);
    if (bad !== undefined) return fail(`bad property list: ${bad}`, 2);
    // The sim keeps local values only: inheriting one drops it.
    const props = Object.fromEntries(
      Object.entries(state.datasets[path] ?? {}).filter(([k]) => k !== name),
    );
    if (Object.hasOwn(state.datasets, path)) state.datasets[path] = props;
    host.write(state);
    return done();
  }
  return fail(`unrecognized command '${sub ?? ''}'`, 2);
}

function flag(words: readonly string[], name: string): string | undefined {
  const i = words.findIndex((w) => w === `--${name}` || w === `-${name}`);
  return i < 0 ? undefined : words[i + 1];
}

export function pvesm(host: HostStorage, words: readonly string[]): Outcome {
  const state = host.read();
  const [sub, ...rest] = words;
  if (sub === 'status') {
    const ids = Object.keys(state.storages).sort();
    return done(
      [
        'Name Type Status',
        ...ids.map((id) => `${id} ${state.storages[id]?.type ?? 'dir'} active`),
      ].join('\n') + '\n',
    );
  }
  if (sub === 'add') {
    const [type, id] = rest;
    if (type === undefined || id === undefined) return fail('400 not enough arguments', 255);
    if (Object.hasOwn(state.storages, id))
      return fail(`create storage failed: storage ID '${id}' already defined`, 255);
    const content = flag(rest, 'content') ?? '';
    let target: string;
    if (type === 'zfspool') {
      const pool = flag(rest, 'pool');
      if (pool === undefined)
        return fail(
          '400 Parameter verification failed.\npool: property is missing and it is not optional',
          255,
        );
      if (!Object.hasOwn(state.datasets, pool) && !Object.hasOwn(state.pools, pool))
        return fail(
          `create storage failed: zfs error: cannot open '${pool}': dataset does not exist`,
          255,
        );
      target = pool;
    } else if (type === 'dir') {
      const path = flag(rest, 'path');
      if (path === undefined)
        return fail(
          '400 Parameter verification failed.\npath: property is missing and it is not optional',
          255,
        );
      // A dir storage on a dataset's mountpoint (`/<pool>/<ds>`): the folder exists only once the dataset does.
      const dataset = path.replace(/^\//, '');
      if (!Object.hasOwn(state.datasets, dataset) && !Object.hasOwn(state.pools, dataset))
        return fail(
          `create storage failed: unable to activate storage '${id}' - directory '${path}' does not exist`,
          255,
        );
      target = path;
    } else
      return fail(
        `400 Parameter verification failed.\ntype: value '${type}' does not have a value in the enumeration 'zfspool, dir'`,
        255,
      );
    state.storages[id] = { type, target, content };
    host.write(state);
    return done();
  }
  if (sub === 'set') {
    const id = rest[0];
    if (id === undefined) return fail('400 not enough arguments', 255);
    const s = state.storages[id];
    if (!s) return fail(`update storage failed: storage '${id}' does not exist`, 255);
    state.storages[id] = { ...s, content: flag(rest, 'content') ?? s.content };
    host.write(state);
    return done();
  }
  return fail(`unknown command 'pvesm ${sub ?? ''}'`, 255);
}
