// Volumes of rootfs/mpN: `<storage>:<GiB>` allocates a new subvolume (as
// `pct create` and `pct set --mpN` do), `<storage>:<name>` names an existing
// one, an absolute path is a bind mount. Every storage is treated as ZFS.
import type { SimNode } from './node.ts';
import { nextDiskName } from './node.ts';
import {
  mpSpec,
  parsePropertyString,
  printPropertyString,
  rootfsSpec,
  type PropertyStringSpec,
} from './property-string.ts';
import { formatDiskSize, parseDiskSize } from './pve-formats.ts';

export const isVolumeKey = (key: string): boolean => key === 'rootfs' || /^mp\d+$/.test(key);

function specFor(key: string): PropertyStringSpec {
  return key === 'rootfs' ? rootfsSpec : mpSpec;
}

/**
 * Allocate `<storage>:<GiB>` volumes in `keys` (mutated) for CT `vmid`.
 * `storageOverride` moves every storage-backed volume (clone --storage).
 * Returns Proxmox-style error lines.
 */
export function allocateVolumes(
  node: SimNode,
  vmid: number,
  keys: Record<string, string>,
  used: Set<string>,
  opts: { storageOverride?: string; reallocateExisting?: boolean } = {},
): string[] {
  const errors: string[] = [];
  // rootfs first, then mp0, mp1…: disk numbers come out as Proxmox numbers them.
  const order = (k: string) => (k === 'rootfs' ? -1 : Number(k.slice(2)));
  for (const key of Object.keys(keys)
    .filter(isVolumeKey)
    .sort((x, y) => order(x) - order(y))) {
    const spec = specFor(key);
    const { props, errors: bad } = parsePropertyString(keys[key]!, spec, key);
    if (bad.length > 0) {
      errors.push(...bad);
      continue;
    }
    const volume = props.get('volume')!;
    if (volume.startsWith('/')) continue; // bind mount: nothing to allocate
    const [storage, name] = [
      volume.slice(0, volume.indexOf(':')),
      volume.slice(volume.indexOf(':') + 1),
    ];
    const target = opts.storageOverride ?? storage;
    const problem = node.storageProblem(target);
    if (problem !== undefined) {
      errors.push(`${key}: ${problem}`);
      continue;
    }
    const next = new Map(props);
    if (/^\d+(?:\.\d+)?$/.test(name)) {
      if (Number(name) <= 0 && key !== 'rootfs') {
        errors.push(`${key}: invalid size '${name}'`);
        continue;
      }
      const disk = nextDiskName(vmid, used);
      used.add(disk);
      next.set('volume', `${target}:${disk}`);
      next.set('size', formatDiskSize(Math.round(Number(name) * 1024 ** 3)));
    } else if (opts.reallocateExisting) {
      const disk = nextDiskName(vmid, used);
      used.add(disk);
      next.set('volume', `${target}:${disk}`);
    } else continue;
    keys[key] = printPropertyString(next, spec);
  }
  return errors;
}

/** Size in bytes of a rootfs/mpN value (`size=` key); undefined for bind mounts. */
export function volumeSize(key: string, value: string): number | undefined {
  const { props } = parsePropertyString(value, specFor(key), key);
  const size = props.get('size');
  return size === undefined ? undefined : parseDiskSize(size);
}

export function withVolumeSize(key: string, value: string, bytes: number): string {
  const spec = specFor(key);
  const { props } = parsePropertyString(value, spec, key);
  const next = new Map(props);
  next.set('size', formatDiskSize(bytes));
  return printPropertyString(next, spec);
}

/** The volume id of a rootfs/mpN value, or undefined for a bind mount. */
export function volumeId(key: string, value: string): string | undefined {
  const v = parsePropertyString(value, specFor(key), key).props.get('volume');
  return v === undefined || v.startsWith('/') ? undefined : v;
}
