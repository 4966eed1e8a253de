// Volumes of rootfs/mpN: `<storage>:<GiB>` allocates a new subvolume (as
// `pct create` and `pct set --mpN` do), `<storage>:<name>` names an existing
// one, an absolute path is a bind mount. Every storage is treated as ZFS.
import type { FsModel } from './ct-state.ts';
import { mkdirs } from './guest-fs.ts';
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

/** `unused0`…: a volume the CT owns but does not mount. */
export const isUnusedKey = (key: string): boolean => /^unused\d+$/.test(key);

/**
 * The CT that owns a volume, as PVE's parse_volname reads it from the name
 * (`subvol-801-disk-1`, `vm-801-disk-0`, `base-…`); undefined when the name
 * carries no owner.
 */
export function ownerOf(volid: string): number | undefined {
  const m = /^[^:]+:(?:subvol|basevol|vm|base)-(\d+)-disk-\d+$/.exec(volid);
  return m ? Number(m[1]) : undefined;
}

/** The storage volume a config key refers to (rootfs, mpN or unusedN); undefined for bind mounts. */
export function configVolume(key: string, value: string): string | undefined {
  if (isUnusedKey(key)) return value.split(',')[0];
  return isVolumeKey(key) ? volumeId(key, value) : undefined;
}

/** Every storage volume a config section refers to, key → volume id. */
export function configVolumes(keys: Readonly<Record<string, string>>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(keys)) {
    const vol = configVolume(k, v);
    if (vol !== undefined) out.set(k, vol);
  }
  return out;
}

/** The `mp=` path of an mpN value. */
export function mountPathOf(key: string, value: string): string | undefined {
  return parsePropertyString(value, specFor(key), key).props.get('mp');
}

/** An mpN value with its volume replaced (move-volume renames the volume, keeps the options). */
export function withVolume(key: string, value: string, volid: string): string {
  const spec = specFor(key);
  const next = new Map(parsePropertyString(value, spec, key).props);
  next.set('volume', volid);
  return printPropertyString(next, spec);
}

/**
 * PVE's add_unused_volume: the lowest free `unusedN`; a volume already
 * listed is not listed twice. Returns the key.
 */
export function addUnused(keys: Record<string, string>, volid: string): string {
  let n = 0;
  for (const [k, v] of Object.entries(keys)) if (isUnusedKey(k) && v === volid) return k;
  while (`unused${n}` in keys) n++;
  keys[`unused${n}`] = volid;
  return `unused${n}`;
}

/** Take the files under `mountPath` out of a CT's file model, as a volume's own model. */
export function detachFiles(fs: FsModel, mountPath: string): FsModel {
  const out: FsModel = { '/': { type: 'dir', mode: fs[mountPath]?.mode ?? 0o755 } };
  const prefix = `${mountPath}/`;
  for (const [p, e] of Object.entries(fs)) {
    if (!p.startsWith(prefix)) continue;
    out[`/${p.slice(prefix.length)}`] = { ...e };
    Reflect.deleteProperty(fs, p);
  }
  return out;
}

/** Mount a volume's files at `mountPath` (created with its parents, as lxc does at start). */
export function attachFiles(fs: FsModel, mountPath: string, files: FsModel | undefined): void {
  mkdirs(fs, mountPath);
  for (const [p, e] of Object.entries(files ?? {})) {
    if (p === '/') continue;
    fs[`${mountPath}${p}`] = { ...e };
  }
}
