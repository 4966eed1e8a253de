// Command lines of the host operations (host-ops.ts), as argv: config
// values are argv elements, never shell text. The same lines run on a real
// node and on the sim.
import type { DatasetSpec, PoolSpec, StorageSpec } from '../backend.ts';
import { zfsManagedProperty } from '../../model/pve/zfs-properties.ts';

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

/**
 * phx lists the properties it set on a dataset in a ZFS user property: a
 * property later dropped from the config is `zfs inherit`ed only when phx
 * set it (one set by hand, or before phx, is left as it is).
 */
const managedProperty = zfsManagedProperty;

/** The names of a dataset's declared properties, as `phx:managed` holds them. */
const managedValue = (d: DatasetSpec): string => Object.keys(d.properties).sort().join(',');

export function createDatasetArgs(d: DatasetSpec): string[] {
  const props = Object.entries(d.properties).flatMap(([k, v]) => ['-o', `${k}=${v}`]);
  return [
    'zfs',
    'create',
    '-o',
    `mountpoint=/${d.path}`,
    ...props,
    '-o',
    `${managedProperty}=${managedValue(d)}`,
    d.path,
  ];
}

/** Declared properties, and phx's list of them, set again (`zfs set` is idempotent). */
export function setPropertiesArgs(d: DatasetSpec): string[] {
  const pairs = Object.entries(d.properties).map(([k, v]) => `${k}=${v}`);
  return ['zfs', 'set', ...pairs, `${managedProperty}=${managedValue(d)}`, d.path];
}

export const managedPropertiesArgs = (path: string): string[] => [
  'zfs',
  'get',
  '-H',
  '-o',
  'value',
  managedProperty,
  path,
];

/** `zfs get -H -o value phx:managed` output → names; `-` is "not set". */
export function managedProperties(output: string): string[] {
  const value = output.trim();
  return value === '-' || value === '' ? [] : value.split(',');
}

export const inheritPropertyArgs = (name: string, path: string): string[] => [
  'zfs',
  'inherit',
  name,
  path,
];

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
