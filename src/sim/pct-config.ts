// pct set, pct config, pct resize: the CT's configuration.
import { createHash } from 'node:crypto';
import { encodeText, renderConf } from './conf-file.ts';
import { cloneSection, type ConfigSection, type CtState } from './ct-state.ts';
import { done, rejected, usedDiskNames, type OpEnv, type Outcome, type SimNode } from './node.ts';
import type { ParsedArgs } from './pct-args.ts';
import { parseDiskSize } from './pve-formats.ts';
import { cleanupPending, hotplugsDelete, hotplugsSet } from './pending.ts';
import { allocateVolumes, isVolumeKey, volumeId, volumeSize, withVolumeSize } from './volumes.ts';

/** The digest `pct config`/the API report: SHA-1 of the config file. */
export function confDigest(ct: CtState): string {
  return createHash('sha1').update(renderConf(ct)).digest('hex');
}

/** Options `pct set` handles itself rather than storing as keys. */
const notKeys = new Set(['delete', 'revert', 'digest', 'description', 'lock']);

/** Drop `k` from the CT's config as a stopped CT's `pct set --delete` does. */
export function removeKey(ct: CtState, k: string): void {
  const keys = ct.config.keys;
  const old = keys[k];
  if (old === undefined) return;
  const vol = isVolumeKey(k) ? volumeId(k, old) : undefined;
  if (vol !== undefined) {
    // A removed storage mount point stays as unusedN, as Proxmox keeps the disk.
    let n = 0;
    while (`unused${n}` in keys) n++;
    keys[`unused${n}`] = vol;
  }
  Reflect.deleteProperty(keys, k);
}

function applySet(node: SimNode, ct: CtState, a: ParsedArgs): string | undefined {
  const opts = a.options;
  const digest = opts.get('digest');
  if (digest !== undefined && digest !== confDigest(ct))
    return 'detected modified configuration - file changed by other user? Try again.';
  const keys = ct.config.keys;
  const deletions = (opts.get('delete') ?? '').split(/[,;\s]+/).filter((k) => k !== '');
  for (const k of deletions)
    if (opts.has(k)) return `unable to set and delete option '${k}' at the same time`;
  const updates: Record<string, string> = {};
  for (const [k, v] of opts) if (!notKeys.has(k)) updates[k] = v;
  if ('unprivileged' in updates && updates.unprivileged !== (keys.unprivileged ?? '0'))
    return "unable to modify read-only option: 'unprivileged'";
  const used = usedDiskNames([keys, ...ct.snapshots.map((s) => s.config.keys)]);
  const problems = allocateVolumes(node, ct.vmid, updates, used);
  if (problems.length > 0) return `400 Parameter verification failed.\n${problems.join('\n')}`;

  if (deletions.includes('rootfs')) return "unable to delete required option 'rootfs'";
  // A running CT takes only what it can hot-plug; the rest waits in [pve:pending].
  const running = ct.status === 'running';
  const pending = (ct.pending ??= { keys: {}, delete: [] });
  for (const k of deletions) {
    Reflect.deleteProperty(pending.keys, k);
    if (running && !hotplugsDelete(k)) {
      if (!pending.delete.includes(k)) pending.delete.push(k);
    } else removeKey(ct, k);
  }
  for (const [k, v] of Object.entries(updates)) {
    pending.delete = pending.delete.filter((d) => d !== k);
    if (running && !hotplugsSet(k, keys)) pending.keys[k] = v;
    else {
      keys[k] = v;
      Reflect.deleteProperty(pending.keys, k);
    }
  }
  cleanupPending(ct);
  const description = opts.get('description');
  if (description !== undefined)
    ct.config.description = description === '' ? '' : `${description}\n`;
  const lock = opts.get('lock');
  if (lock !== undefined)
    ct.lock = { name: lock as NonNullable<CtState['lock']>['name'], since: Date.now() };
  return undefined;
}

export function pctSet(node: SimNode, a: ParsedArgs, env: OpEnv): Promise<Outcome> {
  const id = Number(a.positionals.vmid);
  return node.update(id, env, (ct) => {
    if (!ct) return { result: rejected(node.missingMessage(id)) };
    if (ct.lock) return { result: rejected(`CT ${id} is locked (${ct.lock.name})`) };
    const problem = applySet(node, ct, a);
    return problem === undefined ? { result: done(), save: ct } : { result: rejected(problem) };
  });
}

/** `key: value` lines as pct config prints them: sorted, description encoded, raw lines last. */
export function printConfig(section: ConfigSection, extra: Record<string, string> = {}): string {
  const keys: Record<string, string> = { ...section.keys, ...extra };
  if (section.description !== '')
    keys.description = encodeText(section.description.replace(/\n$/, ''));
  let out = '';
  for (const k of Object.keys(keys).sort()) out += `${k}: ${keys[k]!}\n`;
  for (const [k, v] of section.raw) out += `${k}: ${v}\n`;
  return out;
}

export function pctConfig(node: SimNode, a: ParsedArgs, env: OpEnv): Promise<Outcome> {
  const id = Number(a.positionals.vmid);
  return node.update(id, env, (ct) => {
    if (!ct) return { result: rejected(node.missingMessage(id)) };
    const snapname = a.options.get('snapshot');
    if (snapname !== undefined) {
      const snap = ct.snapshots.find((s) => s.name === snapname);
      return {
        result: snap
          ? done(printConfig(snap.config))
          : rejected(`snapshot '${snapname}' does not exist`),
      };
    }
    // Without --current, pct config shows the values pending for the next start.
    const shown = cloneSection(ct.config);
    if (ct.pending && a.options.get('current') !== '1') {
      for (const k of ct.pending.delete) Reflect.deleteProperty(shown.keys, k);
      Object.assign(shown.keys, ct.pending.keys);
    }
    return { result: done(printConfig(shown, ct.lock ? { lock: ct.lock.name } : {})) };
  });
}

export function pctResize(node: SimNode, a: ParsedArgs, env: OpEnv): Promise<Outcome> {
  const id = Number(a.positionals.vmid);
  const disk = a.positionals.disk!;
  const sizeArg = a.positionals.size!;
  return node.update(id, env, (ct) => {
    if (!ct) return { result: rejected(node.missingMessage(id)) };
    if (ct.lock) return { result: rejected(`CT ${id} is locked (${ct.lock.name})`) };
    const digest = a.options.get('digest');
    if (digest !== undefined && digest !== confDigest(ct))
      return {
        result: rejected(
          'detected modified configuration - file changed by other user? Try again.',
        ),
      };
    const value = ct.config.keys[disk];
    if (value === undefined) return { result: rejected(`disk '${disk}' does not exist`) };
    if (volumeId(disk, value) === undefined)
      return { result: rejected(`unable to resize '${disk}': not a storage volume`) };
    const current = volumeSize(disk, value) ?? 0;
    const grow = sizeArg.startsWith('+');
    const amount = parseDiskSize(grow ? sizeArg.slice(1) : sizeArg)!;
    const wanted = grow ? current + amount : amount;
    if (wanted < current) return { result: rejected('unable to shrink disk size') };
    if (wanted === current) return { result: done() };
    ct.config.keys[disk] = withVolumeSize(disk, value, wanted);
    return { result: done(), save: ct };
  });
}
