// Command lines that move storage volumes between containers, and the reading
// of a container's volumes from its /etc/pve/lxc/<id>.conf (main section,
// description, and the snapshot sections that pin a volume in place).
import type { GuestId } from '../../core/ids.ts';
import { err, ok, type Result } from '../../core/result.ts';
import type { GuestVolumes, HolderSpec, OwnedVolume } from '../backend.ts';
import {
  isGuestId,
  isHostname,
  isSafeAbsPath,
  isStorageId,
  isTemplateVolid,
} from '../../model/pve/formats.ts';

const volumeKey = /^(?:mp|unused)(?:\d|[1-9]\d|1\d\d|2[0-4]\d|25[0-5])$/;

/** `pct move-volume <vmid> <key> --target-vmid <id> --target-volume <key>`. */
export function moveVolumeArgv(
  from: GuestId,
  key: string,
  to: GuestId,
  targetKey: string,
): Result<string[], string> {
  if (!isGuestId(from) || !isGuestId(to)) return err(`CT id ${from} or ${to} is out of range`);
  if (!volumeKey.test(key) || !volumeKey.test(targetKey))
    return err(`volume keys ${key} → ${targetKey} are not mpN/unusedN`);
  return ok([
    'pct',
    'move-volume',
    String(from),
    key,
    '--target-vmid',
    String(to),
    '--target-volume',
    targetKey,
  ]);
}

/** `pct rescan --vmid <id>`: volumes named for the CT but in no key become unusedN. */
export const rescanArgv = (id: GuestId): string[] => ['pct', 'rescan', '--vmid', String(id)];

/**
 * `pct create` of a holder: never started, no network, the smallest root
 * disk, marked by hostname and description so a later build recognises it.
 */
export function holderCreateArgv(h: HolderSpec): Result<string[], string> {
  const problems: string[] = [];
  if (!isGuestId(h.id)) problems.push(`holder id ${h.id} is out of range`);
  if (!isSafeAbsPath(h.template) && !isTemplateVolid(h.template))
    problems.push(`template "${h.template}" is not a template volume`);
  if (!isStorageId(h.storage)) problems.push(`storage "${h.storage}" is not a storage id`);
  if (!isHostname(h.hostname)) problems.push(`hostname "${h.hostname}" is not a hostname`);
  if (problems.length > 0) return err(problems.join('; '));
  return ok([
    'pct',
    'create',
    String(h.id),
    h.template,
    '--hostname',
    h.hostname,
    '--description',
    h.description,
    '--storage',
    h.storage,
    '--rootfs',
    `${h.storage}:1`,
    '--unprivileged',
    h.unprivileged ? '1' : '0',
    '--onboot',
    '0',
  ]);
}

/** The CT that owns a volume by its name (`subvol-801-disk-1` → 801), as PVE's parse_volname. */
export function volumeOwner(volid: string): number | undefined {
  const m = /^[^:]+:(?:subvol|basevol|vm|base)-(\d+)-disk-\d+$/.exec(volid);
  return m ? Number(m[1]) : undefined;
}

const sectionHeader = /^\[([^\]]+)\]\s*$/;
const optionLine = /^([a-z][a-z_]*\d*):\s*(\S.*?)\s*$/;

/** mpN's or unusedN's storage volume; undefined for a bind mount or device. */
export function storageVolume(key: string, value: string): string | undefined {
  const first = value.split(',')[0] ?? '';
  const volume = first.startsWith('volume=') ? first.slice('volume='.length) : first;
  if (key.startsWith('unused')) return volume;
  return volume.startsWith('/') || !volume.includes(':') ? undefined : volume;
}

function decode(line: string): string {
  try {
    return decodeURIComponent(line.replace(/%(?![0-9a-f]{2})/gi, '%25'));
  } catch {
    return line;
  }
}

const keyIndex = (k: string): number =>
  (k.startsWith('unused') ? 1000 : 0) + Number(/\d+$/.exec(k)?.[0] ?? 0);

/**
 * A container's description: the `#` lines that open its config file, decoded
 * (Proxmox writes it there, before any key or section).
 */
export function confDescription(text: string): string {
  const description: string[] = [];
  for (const line of text.split('\n')) {
    if (sectionHeader.test(line)) break;
    if (line.startsWith('#')) description.push(decode(line.slice(1)));
  }
  return description.join('\n');
}

/** A container's volumes, description and keys from its config file text. */
export function parseVolumes(id: GuestId, text: string, running: boolean): GuestVolumes {
  const main = new Map<string, string>();
  const pinned = new Map<string, string[]>();
  let section: string | undefined;
  for (const line of text.split('\n')) {
    const header = sectionHeader.exec(line);
    if (header) {
      section = header[1];
      continue;
    }
    if (section === undefined && line.startsWith('#')) continue;
    const m = optionLine.exec(line);
    if (!m) continue;
    const [key, value] = [m[1]!, m[2]!];
    if (section === undefined) main.set(key, value);
    else if (section !== 'pve:pending' && /^(?:rootfs|mp\d+)$/.test(key)) {
      const vol = storageVolume(key, value);
      if (vol !== undefined) pinned.set(vol, [...(pinned.get(vol) ?? []), section]);
    }
  }
  const volumes: OwnedVolume[] = [];
  for (const [key, value] of main) {
    if (!volumeKey.test(key)) continue;
    const volume = storageVolume(key, value);
    if (volume === undefined) continue;
    volumes.push({
      key,
      volume,
      owned: volumeOwner(volume) === id,
      snapshots: pinned.get(volume) ?? [],
    });
  }
  volumes.sort((a, b) => keyIndex(a.key) - keyIndex(b.key));
  return { running, description: confDescription(text), volumes, keys: [...main.keys()] };
}

/** The lowest `mpN`/`unusedN` (same kind as `like`) not among `taken`. */
export function freeKey(like: string, taken: readonly string[]): string {
  const prefix = like.startsWith('unused') ? 'unused' : 'mp';
  for (let n = 0; ; n++) if (!taken.includes(`${prefix}${n}`)) return `${prefix}${n}`;
}
