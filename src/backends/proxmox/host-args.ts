// Command lines of the host operations (host-ops.ts), as argv: config
// values are argv elements, never shell text. The same lines run on a real
// node and on the sim.
import type { DatasetSpec, PoolSpec, StorageSpec } from '../backend.ts';

export const poolExistsArgs = (name: string): string[] => [
  'zpool',
  'list',
  '-H',
  '-o',
  'name',
  name,
];

/**
 * What the bash setup created pools with (phoenix-real.md §hypervisor
 * setup): autotrim, lz4, no atime. Never `-f`: a disk with a signature is
 * refused by zpool itself, a second guard after --allow-destructive.
 */
export function createPoolArgs(pool: PoolSpec): string[] {
  const layout = pool.layout === '' || pool.layout === 'single' ? [] : [pool.layout.toLowerCase()];
  return [
    'zpool',
    'create',
    '-o',
    'autotrim=on',
    '-O',
    'compression=lz4',
    '-O',
    'atime=off',
    pool.name,
    ...layout,
    ...pool.disks,
  ];
}

export const datasetExistsArgs = (path: string): string[] => [
  'zfs',
  'list',
  '-H',
  '-o',
  'name',
  path,
];

export function createDatasetArgs(d: DatasetSpec): string[] {
  const props = Object.entries(d.properties).flatMap(([k, v]) => ['-o', `${k}=${v}`]);
  return ['zfs', 'create', '-o', `mountpoint=/${d.path}`, ...props, d.path];
}

/** undefined when the dataset declares no properties (nothing to set). */
export function setPropertiesArgs(d: DatasetSpec): string[] | undefined {
  const pairs = Object.entries(d.properties).map(([k, v]) => `${k}=${v}`);
  return pairs.length === 0 ? undefined : ['zfs', 'set', ...pairs, d.path];
}

export const storageListArgs = (): string[] => ['pvesm', 'status'];

export function addStorageArgs(s: StorageSpec): string[] {
  return s.type === 'zfspool'
    ? ['pvesm', 'add', 'zfspool', s.id, '--pool', s.target, '--content', s.content]
    : ['pvesm', 'add', 'dir', s.id, '--path', s.target, '--content', s.content, '--shared', '1'];
}

export const setStorageArgs = (s: StorageSpec): string[] => [
  'pvesm',
  'set',
  s.id,
  '--content',
  s.content,
];

/** Storage ids of `pvesm status` output (a header line, then one per storage). */
export function storageIds(statusOutput: string): string[] {
  return statusOutput
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter((id) => id !== '');
}
