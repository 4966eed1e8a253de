// VM disks on the sim node: `<storage>:<GiB>` allocates `vm-<id>-disk-<n>`,
// `<storage>:0,import-from=<file>` imports a node file, `<storage>:cloudinit`
// makes the one cloud-init drive, `<storage>:<volume>` attaches a volume the
// VM owns (an importdisk result, listed as unusedN). Sizes are kept in the
// drive's `size=` as Proxmox prints them.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parsePropertyString, printPropertyString } from './property-string.ts';
import { formatDiskSize, parseDiskSize } from './pve-formats.ts';
import { driveSpecFor, isDriveKey } from './qm-formats.ts';
import type { VmNode } from './vm-node.ts';

/** The virtual size the sim gives an imported cloud image (Ubuntu's noble image is 3.5 GiB). */
export const IMPORTED_IMAGE_BYTES = 3.5 * 1024 ** 3;

/** Where the sim keeps a node file (the image store, staged images). */
export function nodeFile(vmNode: VmNode, path: string): string {
  return join(vmNode.node.store.dir, 'host', path.replace(/^\/+/, ''));
}

/** A node file's size, or undefined when the node has no such file. */
export function nodeFileSize(vmNode: VmNode, path: string): number | undefined {
  const p = nodeFile(vmNode, path);
  return existsSync(p) && statSync(p).isFile() ? statSync(p).size : undefined;
}

export interface DriveValue {
  readonly props: Map<string, string>;
  /** `storage:volname`, or undefined for none/cdrom/a path. */
  readonly volid?: string;
  readonly storage?: string;
  readonly volname?: string;
}

export function parseDrive(key: string, value: string): DriveValue | undefined {
  const parsed = parsePropertyString(value, driveSpecFor(key), key);
  if (parsed.errors.length > 0) return undefined;
  const props = new Map(parsed.props);
  const file = props.get('file')!;
  const m = /^([^:/]+):(.+)$/.exec(file);
  if (!m) return { props };
  return { props, volid: file, storage: m[1]!, volname: m[2]! };
}

export const printDrive = (key: string, props: ReadonlyMap<string, string>): string =>
  printPropertyString(props, driveSpecFor(key));

/** Every volume the VM's config refers to (drives and unusedN), by key. */
export function vmVolumes(keys: Readonly<Record<string, string>>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(keys)) {
    if (!isDriveKey(k) && !/^unused\d+$/.test(k)) continue;
    const d = parseDrive(k, v);
    if (d?.volid !== undefined) out.set(k, d.volid);
  }
  return out;
}

/** The first free `vm-<id>-disk-<n>` (or `base-…` of a template) among `used` names. */
export function nextVmDisk(id: number, used: ReadonlySet<string>): string {
  for (let n = 0; ; n++) {
    const name = `vm-${id}-disk-${n}`;
    if (!used.has(name) && !used.has(`base-${id}-disk-${n}`)) return name;
  }
}

/** Volume names (after the storage) a VM uses now or in a snapshot. */
export function usedVolnames(sections: readonly Record<string, string>[]): Set<string> {
  const used = new Set<string>();
  for (const keys of sections)
    for (const volid of vmVolumes(keys).values()) used.add(volid.slice(volid.indexOf(':') + 1));
  return used;
}

export function addUnused(keys: Record<string, string>, volid: string): void {
  let n = 0;
  while (`unused${n}` in keys) n++;
  keys[`unused${n}`] = volid;
}

/**
 * Resolve a drive value given to `qm create`/`qm set` against the VM's
 * current keys (mutated: an attached unusedN goes, a new volume is
 * allocated). Returns the value to store, or the error Proxmox prints.
 */
export function allocateDrive(
  vmNode: VmNode,
  vmid: number,
  key: string,
  value: string,
  keys: Record<string, string>,
  used: Set<string>,
): { value: string } | { error: string } {
  const d = parseDrive(key, value);
  if (!d) return { error: `${key}: unable to parse drive options` };
  const props = new Map(d.props);
  if (d.volid === undefined) {
    // none, cdrom, or a path: used as given.
    props.delete('size');
    return { value: printDrive(key, props) };
  }
  const problem = vmNode.diskStorageProblem(d.storage!);
  if (problem !== undefined) return { error: `${key}: ${problem}` };
  const importFrom = props.get('import-from');
  props.delete('import-from');
  if (d.volname === 'cloudinit') {
    const other = Object.entries(keys).find(
      ([k, v]) => k !== key && isDriveKey(k) && parseDrive(k, v)?.volname?.endsWith('-cloudinit'),
    );
    if (other) return { error: `${key} - cloud-init drive is already attached at '${other[0]}'` };
    const name = `vm-${vmid}-cloudinit`;
    used.add(name);
    props.set('file', `${d.storage!}:${name}`);
    props.set('media', 'cdrom');
    props.delete('size');
    return { value: printDrive(key, props) };
  }
  const gib = /^\d+(?:\.\d+)?$/.test(d.volname!) ? Number(d.volname) : undefined;
  if (gib !== undefined) {
    let bytes = gib * 1024 ** 3;
    if (importFrom !== undefined) {
      if (gib !== 0)
        return {
          error: `${key}: 'import-from' requires special syntax - use <storage ID>:0,import-from=<source>`,
        };
      const size = importFrom.startsWith('/') ? nodeFileSize(vmNode, importFrom) : undefined;
      if (size === undefined || size === 0)
        return { error: `could not get file size of ${importFrom}` };
      bytes = IMPORTED_IMAGE_BYTES;
    } else if (gib === 0) return { error: `${key}: size must be greater than zero` };
    const name = nextVmDisk(vmid, used);
    used.add(name);
    props.set('file', `${d.storage!}:${name}`);
    props.set('size', formatDiskSize(Math.round(bytes)));
    return { value: printDrive(key, props) };
  }
  if (importFrom !== undefined)
    return {
      error: `${key}: 'import-from' requires special syntax - use <storage ID>:0,import-from=<source>`,
    };
  // An existing volume: it must be one this VM holds (attached here already, or unusedN).
  const unused = Object.entries(keys).find(
    ([k, v]) => /^unused\d+$/.test(k) && parseDrive(k, v)?.volid === d.volid,
  );
  const current = keys[key] === undefined ? undefined : parseDrive(key, keys[key]);
  if (unused) {
    const size = /size=([^,]+)/.exec(unused[1])?.[1];
    Reflect.deleteProperty(keys, unused[0]);
    props.set('size', size ?? formatDiskSize(IMPORTED_IMAGE_BYTES));
    return { value: printDrive(key, props) };
  }
  if (current?.volid === d.volid) {
    props.set('size', current.props.get('size') ?? '0');
    return { value: printDrive(key, props) };
  }
  return { error: `volume ${d.volid} does not exist` };
}

/** Bytes of a drive's `size=`, 0 when absent. */
export function driveBytes(key: string, value: string): number {
  const size = parseDrive(key, value)?.props.get('size');
  return size === undefined ? 0 : (parseDiskSize(size) ?? 0);
}
