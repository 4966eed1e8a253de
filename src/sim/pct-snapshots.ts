// pct snapshot, delsnapshot, rollback, listsnapshot. Every storage is ZFS, so
// rollback goes only to the most recent snapshot; a snapshot keeps a copy of
// the config and of the filesystem model, and rollback restores both.
import {
  cloneFs,
  cloneSection,
  newestSnapshot,
  type CtState,
  type SnapshotState,
} from './ct-state.ts';
import { done, rejected, type OpEnv, type Outcome, type SimNode } from './node.ts';
import type { ParsedArgs } from './pct-args.ts';
import { addUnused, configVolumes, detachFiles, isUnusedKey, mountPathOf } from './volumes.ts';
import { removeKey } from './pct-config.ts';
import { startCt } from './pending.ts';

export async function pctSnapshot(node: SimNode, a: ParsedArgs, env: OpEnv): Promise<Outcome> {
  const id = Number(a.positionals.vmid);
  const name = a.positionals.snapname!;
  const description = a.options.get('description');
  if (name === 'current') return rejected(`snapshot name 'current' is reserved`);
  const problem = await node.acquire(id, 'snapshot', env, (ct) =>
    ct.snapshots.some((s) => s.name === name) ? `snapshot name '${name}' already used` : undefined,
  );
  if (problem !== undefined) return rejected(problem);
  return node.locked(env, [{ id }], async () => {
    await node.release(id, env, (ct) => {
      const config = cloneSection(ct.config);
      config.description =
        description === undefined || description === '' ? '' : `${description}\n`;
      config.keys.snaptime = String(Math.floor(Date.now() / 1000));
      const snap: SnapshotState = { name, config, fs: cloneFs(ct.fs) };
      ct.snapshots.push(snap);
      ct.config.keys.parent = name;
    });
    return done();
  });
}

export async function pctDelsnapshot(node: SimNode, a: ParsedArgs, env: OpEnv): Promise<Outcome> {
  const id = Number(a.positionals.vmid);
  const name = a.positionals.snapname!;
  const problem = await node.acquire(id, 'snapshot-delete', env, (ct) =>
    ct.snapshots.some((s) => s.name === name) ? undefined : `snapshot '${name}' does not exist`,
  );
  if (problem !== undefined) return rejected(problem);
  return node.locked(env, [{ id }], async () => {
    await node.release(id, env, (ct) => {
      const gone = ct.snapshots.find((s) => s.name === name)!;
      const parent = gone.config.keys.parent;
      ct.snapshots = ct.snapshots.filter((s) => s !== gone);
      // Children of the deleted snapshot (and the current state) re-parent to its parent.
      for (const section of [ct.config, ...ct.snapshots.map((s) => s.config)]) {
        if (section.keys.parent !== name) continue;
        if (parent === undefined) delete section.keys.parent;
        else section.keys.parent = parent;
      }
    });
    return done();
  });
}

export async function pctRollback(node: SimNode, a: ParsedArgs, env: OpEnv): Promise<Outcome> {
  const id = Number(a.positionals.vmid);
  const name = a.positionals.snapname!;
  const problem = await node.acquire(id, 'rollback', env, (ct) => {
    if (!ct.snapshots.some((s) => s.name === name)) return `snapshot '${name}' does not exist`;
    if (newestSnapshot(ct)?.name !== name)
      return `can't rollback, '${name}' is not most recent snapshot`;
    return undefined;
  });
  if (problem !== undefined) return rejected(problem);
  return node.locked(env, [{ id }], async () => {
    await node.release(id, env, (ct) => {
      const snap = ct.snapshots.find((s) => s.name === name)!;
      // __snapshot_rollback_get_unused: a volume mounted now but not in the
      // snapshot (added after it) is kept as unusedN, with its files.
      const before = configVolumes(ct.config.keys);
      const inSnap = new Set(configVolumes(snap.config.keys).values());
      for (const [key, volid] of before) {
        if (isUnusedKey(key) || inSnap.has(volid)) continue;
        const mp = mountPathOf(key, ct.config.keys[key]!);
        if (mp !== undefined) ct.volumes = { ...ct.volumes, [volid]: detachFiles(ct.fs, mp) };
        addUnused(ct.config.keys, volid);
      }
      // __snapshot_apply_config: the snapshot's keys, but the current
      // description and unusedN list.
      const config = cloneSection(snap.config);
      for (const k of Object.keys(config.keys))
        if (isUnusedKey(k) || k === 'snaptime') Reflect.deleteProperty(config.keys, k);
      for (const [k, v] of Object.entries(ct.config.keys)) if (isUnusedKey(k)) config.keys[k] = v;
      config.description = ct.config.description;
      config.keys.parent = name;
      ct.config = config;
      ct.fs = cloneFs(snap.fs);
      // The snapshot's config replaces the current one, pending changes included.
      delete ct.pending;
      // Rollback stops the CT; --start brings it back up.
      ct.status = 'stopped';
      if (a.options.get('start') === '1') startCt(ct, removeKey);
    });
    return done();
  });
}

function snapTime(s: SnapshotState): string {
  const t = Number(s.config.keys.snaptime ?? 0);
  return new Date(t * 1000).toISOString().replace('T', ' ').slice(0, 19);
}

/** The snapshot tree as pct listsnapshot draws it, `current` under its parent. */
export function renderSnapshotTree(ct: CtState): string {
  const children = new Map<string, string[]>();
  const roots: string[] = [];
  const entries = [
    ...ct.snapshots.map((s) => ({ name: s.name, parent: s.config.keys.parent })),
    { name: 'current', parent: ct.config.keys.parent },
  ];
  for (const e of entries) {
    if (e.parent === undefined || !ct.snapshots.some((s) => s.name === e.parent))
      roots.push(e.name);
    else children.set(e.parent, [...(children.get(e.parent) ?? []), e.name]);
  }
  const lines: string[] = [];
  const walk = (name: string, depth: number) => {
    const snap = ct.snapshots.find((s) => s.name === name);
    const when = snap ? snapTime(snap) : '';
    const desc = snap ? snap.config.description.split('\n')[0]! : 'You are here!';
    lines.push(
      `${'  '.repeat(depth)}\`-> ${name.padEnd(24)} ${when.padEnd(19)}     ${desc}`.trimEnd(),
    );
    for (const c of children.get(name) ?? []) walk(c, depth + 1);
  };
  for (const r of roots) walk(r, 0);
  return `${lines.join('\n')}\n`;
}

export function pctListsnapshot(node: SimNode, a: ParsedArgs, env: OpEnv): Promise<Outcome> {
  const id = Number(a.positionals.vmid);
  return node.update(id, env, (ct) => ({
    result: ct ? done(renderSnapshotTree(ct)) : rejected(node.missingMessage(id)),
  }));
}
