// pct move-volume (alias move_volume): reassign a volume to another CT, or
// copy it to another storage, refusing what pve-container's move_volume
// refuses. Reassigning renames the volume for its new owner
// (`subvol-<target>-disk-N`), so the source CT's destroy no longer touches it;
// its files travel with it.
import type { CtState, FsModel } from './ct-state.ts';
import {
  done,
  nextDiskName,
  rejected,
  usedDiskNames,
  type OpEnv,
  type Outcome,
  type SimNode,
} from './node.ts';
import type { ParsedArgs } from './pct-args.ts';
import { confDigest } from './pct-config.ts';
import {
  addUnused,
  attachFiles,
  configVolume,
  detachFiles,
  isUnusedKey,
  mountPathOf,
  volumeId,
  withVolume,
} from './volumes.ts';

const modified = 'detected modified configuration - file changed by other user? Try again.';

/** Disk names taken on the target CT: its config, snapshots and detached volumes. */
function takenNames(ct: CtState): Set<string> {
  const used = usedDiskNames([ct.config.keys, ...ct.snapshots.map((s) => s.config.keys)]);
  for (const v of Object.keys(ct.volumes ?? {})) used.add(v.slice(v.indexOf(':') + 1));
  return used;
}

/** Whether any snapshot of the CT refers to `volid` (is_volume_in_use_by_snapshots). */
function usedBySnapshots(ct: CtState, volid: string): boolean {
  return ct.snapshots.some((s) =>
    Object.entries(s.config.keys).some(([k, v]) => !isUnusedKey(k) && configVolume(k, v) === volid),
  );
}

/** Take the volume's files out of the CT: from its mount path, or its detached store. */
function takeFiles(ct: CtState, key: string, value: string, volid: string): FsModel {
  if (isUnusedKey(key)) {
    const files = ct.volumes?.[volid] ?? { '/': { type: 'dir', mode: 0o755 } };
    if (ct.volumes) Reflect.deleteProperty(ct.volumes, volid);
    return files;
  }
  return detachFiles(ct.fs, mountPathOf(key, value) ?? '/');
}

function reassignProblem(
  a: ParsedArgs,
  src: CtState | undefined,
  dst: CtState | undefined,
  ids: { vmid: number; target: number; key: string; targetKey: string },
  node: SimNode,
): string | undefined {
  const { vmid, target, key, targetKey } = ids;
  if (key === 'rootfs' || targetKey === 'rootfs') return "Cannot move to/from 'rootfs'";
  if (isUnusedKey(key) && !isUnusedKey(targetKey))
    return 'Moving an unused volume to a used one is not possible';
  if (!src) return `could not find CT ${vmid}`;
  if (!dst) return `could not find CT ${target}`;
  if (src.lock) return `CT ${vmid} is locked (${src.lock.name})`;
  if (dst.lock) return `CT ${target} is locked (${dst.lock.name})`;
  if (src.config.keys.template === '1' || dst.config.keys.template === '1')
    return "Can't move volumes from or to template CT";
  const digest = a.options.get('digest');
  if (digest !== undefined && digest !== confDigest(src)) return `Container ${vmid}: ${modified}`;
  const tdigest = a.options.get('target-digest');
  if (tdigest !== undefined && tdigest !== confDigest(dst))
    return `Container ${target}: ${modified}`;
  const value = src.config.keys[key];
  if (value === undefined) return `volume '${key}' for container '${vmid}' does not exist`;
  if (targetKey in dst.config.keys)
    return `Target volume key '${targetKey}' is already in use for container '${target}'`;
  const volid = configVolume(key, value);
  if (volid !== undefined && usedBySnapshots(src, volid))
    return 'Cannot move volume used by a snapshot to another container';
  if (volid === undefined) return 'Cannot move a bindmount or device mount to another container';
  const storage = volid.slice(0, volid.indexOf(':'));
  const sp = node.storageProblem(storage);
  if (sp !== undefined) return sp;
  if (src.status === 'running' && !isUnusedKey(key))
    return 'Cannot move in-use volume while the source CT is running - detach or shutdown first';
  return undefined;
}

/** Reassign `key` of `vmid` to `targetKey` of `target`: both configs under their mutexes, lower id first. */
function reassign(node: SimNode, a: ParsedArgs, env: OpEnv): Promise<Outcome> {
  const vmid = Number(a.positionals.vmid);
  const key = a.positionals.volume!;
  const target = Number(a.options.get('target-vmid'));
  const targetKey = a.options.get('target-volume') ?? key;
  const [first, second] = vmid <= target ? [vmid, target] : [target, vmid];
  return node.store.withCt(first, () => {
    const inner = async (): Promise<Outcome> => {
      const src = await node.loadFresh(vmid, env);
      const dst = target === vmid ? src : await node.loadFresh(target, env);
      const problem = reassignProblem(a, src, dst, { vmid, target, key, targetKey }, node);
      if (problem !== undefined || !src || !dst) return rejected(problem ?? 'unreachable');
      const value = src.config.keys[key]!;
      const volid = configVolume(key, value)!;
      const storage = volid.slice(0, volid.indexOf(':'));
      // rename_volume: the next free name for the new owner on the same storage.
      const newVolid = `${storage}:${nextDiskName(target, takenNames(dst))}`;
      const files = takeFiles(src, key, value, volid);
      Reflect.deleteProperty(src.config.keys, key);
      if (isUnusedKey(targetKey)) {
        dst.config.keys[targetKey] = newVolid;
        dst.volumes = { ...dst.volumes, [newVolid]: files };
      } else {
        const drive = withVolume(targetKey, value, newVolid);
        dst.config.keys[targetKey] = drive;
        attachFiles(dst.fs, mountPathOf(targetKey, drive) ?? '/', files);
      }
      await node.store.save(src);
      if (dst !== src) await node.store.save(dst);
      return done(
        `moving volume '${key}' from container '${vmid}' to '${target}'\n` +
          `removing volume '${key}' from container '${vmid}' config\n` +
          `target container '${target}' updated with '${targetKey}'\n`,
      );
    };
    return first === second ? inner() : node.store.withCt(second, inner);
  });
}

/** Copy a configured volume to another storage; the old one stays as unusedN unless --delete. */
function toStorage(node: SimNode, a: ParsedArgs, env: OpEnv): Promise<Outcome> {
  const vmid = Number(a.positionals.vmid);
  const key = a.positionals.volume!;
  const storage = a.options.get('storage')!;
  return node.update(vmid, env, (ct) => {
    if (!ct) return { result: rejected(node.missingMessage(vmid)) };
    if (ct.lock) return { result: rejected(`CT ${vmid} is locked (${ct.lock.name})`) };
    if (ct.status === 'running')
      return { result: rejected('cannot move volumes of a running container') };
    if (isUnusedKey(key))
      return {
        result: rejected(
          `cannot move volume '${key}', only configured volumes can be moved to another storage`,
        ),
      };
    const value = ct.config.keys[key];
    if (value === undefined) return { result: rejected(`volume '${key}' does not exist`) };
    const volid = volumeId(key, value);
    if (volid === undefined) return { result: rejected(`unable to move '${key}': not a volume`) };
    const sp = node.storageProblem(storage);
    if (sp !== undefined) return { result: rejected(sp) };
    const del = a.options.get('delete') === '1';
    if (del && usedBySnapshots(ct, volid))
      return { result: rejected("you can't move a volume with snapshots and delete the source") };
    const digest = a.options.get('digest');
    if (digest !== undefined && digest !== confDigest(ct)) return { result: rejected(modified) };
    const newVolid = `${storage}:${nextDiskName(vmid, takenNames(ct))}`;
    ct.config.keys[key] = withVolume(key, value, newVolid);
    if (!del) {
      // The copy keeps the files where they are mounted; the old volume keeps its own copy.
      const mp = mountPathOf(key, value);
      const copy = mp === undefined ? {} : detachFiles({ ...ct.fs }, mp);
      addUnused(ct.config.keys, volid);
      ct.volumes = { ...ct.volumes, [volid]: copy };
    }
    return { result: done(`moving volume '${key}' to storage '${storage}'\n`), save: ct };
  });
}

export function pctMoveVolume(node: SimNode, a: ParsedArgs, env: OpEnv): Promise<Outcome> {
  const storage = a.options.get('storage');
  const target = a.options.get('target-vmid');
  if (storage !== undefined && target !== undefined)
    return Promise.resolve(
      rejected(
        "400 Parameter verification failed.\ntarget-vmid: either set 'storage' or 'target-vmid', but not both",
      ),
    );
  if (target !== undefined) return reassign(node, a, env);
  if (storage !== undefined) return toStorage(node, a, env);
  return Promise.resolve(
    rejected(
      "400 Parameter verification failed.\ntarget-vmid: both 'storage' and 'target-vmid' missing, either needs to be set",
    ),
  );
}
