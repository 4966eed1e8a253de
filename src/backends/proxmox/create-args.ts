// `pct create` and `pct clone` command lines from an entry (DESIGN §2: the
// keys of the `create` and `clone` targets). Settings follow in their own
// target; only what cannot be changed later, or must exist first, is here.
import type { Guest } from '../../model/model.ts';
import type { GuestId } from '../../core/ids.ts';
import { err, ok, type Result } from '../../core/result.ts';
import {
  isGuestId,
  isHostname,
  isSafeAbsPath,
  isSnapshotName,
  isStorageId,
  isTemplateVolid,
} from '../../model/pve/formats.ts';

/** pct's ostype enum, minus `unmanaged`: what a template file name can tell. */
const OSTYPES = [
  'debian',
  'devuan',
  'ubuntu',
  'centos',
  'fedora',
  'opensuse',
  'archlinux',
  'alpine',
  'gentoo',
  'nixos',
];

/** `ubuntu-24.04-standard_…tar.zst` → `ubuntu`; undefined lets pct detect it. */
export function ostypeOf(template: string): string | undefined {
  const base = template.slice(template.lastIndexOf('/') + 1);
  const first = /^([a-z]+)[-_]/.exec(base)?.[1];
  return first !== undefined && OSTYPES.includes(first) ? first : undefined;
}

function checkCommon(guest: Guest): string[] {
  const errors: string[] = [];
  if (!isGuestId(guest.id)) errors.push(`id ${guest.id} is outside 100..999999999`);
  if (!isHostname(guest.name)) errors.push(`name "${guest.name}" is not a valid hostname`);
  if (guest.storagePool !== undefined && !isStorageId(guest.storagePool)) {
    errors.push(`storage_pool "${guest.storagePool}" is not a storage id`);
  }
  return errors;
}

/**
 * `pct create <id> <ostemplate> --hostname N --storage P --rootfs P:SIZE
 * --unprivileged 0|1 [--ostype T]`. An absolute template path is passed as
 * is (pct takes a path from root@pam); a `storage:vztmpl/x` volid likewise.
 */
export function createArgv(guest: Guest): Result<string[], string> {
  const errors = checkCommon(guest);
  const t = guest.template;
  if (t === undefined)
    errors.push('template is required to create a container (or give clone_from_ctid)');
  else if (!isSafeAbsPath(t) && !isTemplateVolid(t)) {
    errors.push(
      `template "${t}" is neither an absolute path nor a storage:vztmpl/<file> volume id`,
    );
  }
  if (guest.storagePool === undefined)
    errors.push('storage_pool is required to create a container');
  const size = guest.storageSizeGb;
  if (size === undefined || !Number.isInteger(size) || size < 1) {
    errors.push(`storage_size_gb ${JSON.stringify(size)} must be a positive integer`);
  }
  if (
    errors.length > 0 ||
    t === undefined ||
    guest.storagePool === undefined ||
    size === undefined
  ) {
    return err(`CT ${guest.id}: ${errors.join('; ')}`);
  }
  const ostype = ostypeOf(t);
  return ok([
    'pct',
    'create',
    String(guest.id),
    t,
    '--hostname',
    guest.name,
    '--storage',
    guest.storagePool,
    '--rootfs',
    `${guest.storagePool}:${size}`,
    '--unprivileged',
    guest.unprivileged ? '1' : '0',
    ...(ostype === undefined ? [] : ['--ostype', ostype]),
  ]);
}

/**
 * `pct clone <src> <id> --snapname S --hostname N --full 1 [--storage P]`.
 * A clone inherits `unprivileged` from its source and PVE refuses to change
 * it afterwards ("unable to modify read-only option"), so the caller checks
 * the source's value before cloning instead of re-asserting it after.
 */
export function cloneArgv(
  source: GuestId,
  snapshot: string,
  guest: Guest,
): Result<string[], string> {
  const errors = checkCommon(guest);
  if (!isGuestId(source)) errors.push(`clone source ${source} is outside 100..999999999`);
  if (!isSnapshotName(snapshot))
    errors.push(`snapshot name "${snapshot}" is not a valid snapshot name`);
  if (errors.length > 0) return err(`CT ${guest.id}: ${errors.join('; ')}`);
  return ok([
    'pct',
    'clone',
    String(source),
    String(guest.id),
    '--snapname',
    snapshot,
    '--hostname',
    guest.name,
    '--full',
    '1',
    ...(guest.storagePool === undefined ? [] : ['--storage', guest.storagePool]),
  ]);
}

/** Whether a conf's `unprivileged:` line (absent = 0) matches the entry. */
export function unprivilegedMismatch(
  liveValue: string | undefined,
  guest: Guest,
): string | undefined {
  const live = liveValue === '1';
  if (live === guest.unprivileged) return undefined;
  return (
    `CT ${guest.id} declares unprivileged: ${guest.unprivileged} but its clone source is ` +
    `${live ? 'unprivileged' : 'privileged'}; Proxmox cannot change this after creation ` +
    '(clone from a source of the same kind, or create the container from a template)'
  );
}
