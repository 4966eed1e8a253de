// What a plan destroys, and what it may not (DESIGN §8, "phx never destroys
// what is not its own"). After the decision rule has said what builds, each
// guest whose targets build is looked at as the host holds it:
//   - a guest phx did not make (no owner mark of this workspace) is refused
//     whole: none of its targets run, and neither does anything built on it;
//   - re-creating or re-cloning an existing guest destroys its rootfs and
//     every snapshot on it; resuming from a layer rolls back over what the
//     guest did since that layer's snapshot. Both are listed as `destroys`,
//     and a re-creation lists the volumes it carries over as `keeps`;
//   - a service guest (no template snapshot, no clones: its rootfs is state)
//     is re-created only with consent (--replace ID, --yes, a yes at the
//     prompt, or `disposable` in the build file).
import type { SnapshotInfo } from '../core/snapshot.ts';
import { foreignText, isForeign, type Ownership } from './ownership.ts';
import type { PlannedTarget } from './planned-target.ts';
import type { TargetId } from '../core/target-id.ts';

export type Refusal =
  | { readonly type: 'foreign'; readonly text: string }
  | { readonly type: 'needs-consent'; readonly text: string }
  | { readonly type: 'upstream-refused'; readonly target: TargetId };

export interface GuardInput {
  readonly ownership: (entry: string) => Ownership;
  readonly snapshotsOf: (entry: string) => readonly SnapshotInfo[] | undefined | 'trusted';
  /** Entries that are services: no template snapshot and no clones. */
  readonly services: ReadonlySet<string>;
  /** Whether the user consented to destroying this entry's guest. */
  readonly consent: (entry: string) => boolean;
  /** Volumes a re-creation of this entry's guest carries over (`mp0 (store:subvol-…)`). */
  readonly keeps?: (entry: string) => readonly string[];
}

export interface Guarded {
  readonly destroys: ReadonlyMap<TargetId, readonly string[]>;
  /** Beside a re-creation's destroys: the volumes it carries over. */
  readonly keeps: ReadonlyMap<TargetId, readonly string[]>;
  readonly refused: ReadonlyMap<TargetId, Refusal>;
}

export function guardPlan(targets: readonly PlannedTarget[], input: GuardInput): Guarded {
  const destroys = new Map<TargetId, string[]>();
  const keeps = new Map<TargetId, readonly string[]>();
  const refused = new Map<TargetId, Refusal>();
  const byEntry = new Map<string, PlannedTarget[]>();
  for (const p of targets) {
    if (p.action !== 'build') continue;
    let list = byEntry.get(p.target.entry);
    if (!list) byEntry.set(p.target.entry, (list = []));
    list.push(p);
  }
  // A pool to build is created on its disks unless it exists (then it is
  // adopted, untouched): shown as destructive; the rule creates one only
  // for a pool named by --allow-destructive (rules/zfs-pool.ts).
  for (const p of byEntry.get('host') ?? []) {
    if (p.target.kind === 'zfs-pool')
      destroys.set(p.target.id, [
        ...p.target.pool.disks.map((d) => `disk:${d}`),
        `unless pool ${p.target.pool.name} exists (adopted); needs --allow-destructive ${p.target.pool.name}`,
      ]);
  }
  byEntry.delete('host');
  for (const [entry, building] of byEntry) {
    const owner = input.ownership(entry);
    if (isForeign(owner)) {
      const text = foreignText(entry, owner);
      for (const p of building) refused.set(p.target.id, { type: 'foreign', text });
      continue;
    }
    const snapshots = input.snapshotsOf(entry);
    if (!Array.isArray(snapshots)) continue; // absent, or not asked (offline)
    const live = snapshots as readonly SnapshotInfo[];
    const first = building
      .filter((p) => p.target.layer !== undefined)
      .sort((a, b) => a.target.layer! - b.target.layer!)[0];
    if (first === undefined) continue;
    if (first.target.layer === 0) {
      const what = ['rootfs', ...live.map((s) => `snapshot:${s.name}`)];
      destroys.set(first.target.id, what);
      const kept = input.keeps?.(entry) ?? [];
      if (kept.length > 0) keeps.set(first.target.id, kept);
      // A guest whose base never finished (killed mid-clone: no record) holds
      // nothing yet; one that was built holds its service's state.
      if (input.services.has(entry) && first.record !== undefined && !input.consent(entry)) {
        refused.set(first.target.id, {
          type: 'needs-consent',
          text:
            `re-creating service guest ${entry} destroys its rootfs (${what.join(', ')}); ` +
            `${kept.length > 0 ? `keeps ${kept.join(', ')}` : 'it has no volumes to carry over'}. Consent with --replace ${entry} or --yes`,
        });
      }
      continue;
    }
    // Resuming from the layer below: the rollback discards what happened since.
    const below = targets.find(
      (p) => p.target.entry === entry && p.target.layer === first.target.layer! - 1,
    );
    const from = below?.record?.output;
    if (from === undefined) continue;
    const at = live.findIndex((s) => s.name === from);
    const newer = at < 0 ? [] : live.slice(at + 1).map((s) => `snapshot:${s.name}`);
    destroys.set(first.target.id, [`changes since ${from}`, ...newer]);
  }
  // Whatever is built on a refused target is refused too: its guest's other
  // targets, and clones and consumers of it.
  for (const p of targets) {
    if (p.action !== 'build' || refused.has(p.target.id)) continue;
    const blocked = p.target.deps.find((e) => refused.has(e.from));
    if (blocked) refused.set(p.target.id, { type: 'upstream-refused', target: blocked.from });
  }
  return { destroys, keeps, refused };
}

export function refusalText(r: Refusal): string {
  switch (r.type) {
    case 'foreign':
    case 'needs-consent':
      return r.text;
    case 'upstream-refused':
      return `not built: ${r.target} is refused`;
  }
}
