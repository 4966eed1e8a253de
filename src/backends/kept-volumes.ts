// What re-creating a guest keeps: the storage volumes its live config lists
// as mpN or unusedN and owns by name, which rules/replace-guest.ts carries
// through a holder CT into the new build. Read off the live settings a plan
// already has, so `plan` names them beside what the re-creation destroys.
// Bind mounts are host paths destroy never touches: not listed.
import type { GuestId } from '../core/ids.ts';
import { storageVolume, volumeOwner } from './proxmox/volume-args.ts';

const volumeKey = /^(mp|unused)(\d+)$/;

/** `mp0 (store:subvol-801-disk-1)` for each volume `id` owns, mpN then unusedN by index. */
export function keptVolumes(id: GuestId, settings: Readonly<Record<string, string>>): string[] {
  const kept: { order: number; text: string }[] = [];
  for (const [key, value] of Object.entries(settings)) {
    const m = volumeKey.exec(key);
    if (!m) continue;
    const volume = storageVolume(key, value);
    if (volume === undefined || volumeOwner(volume) !== id) continue;
    kept.push({ order: (m[1] === 'unused' ? 1000 : 0) + Number(m[2]), text: `${key} (${volume})` });
  }
  return kept.sort((a, b) => a.order - b.order).map((k) => k.text);
}
