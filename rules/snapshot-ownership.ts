// Which snapshots are phx's own. A layer snapshot phx made carries both marks
// written here: the name `phx-<12 hex>` and the description
// `phx:<fingerprint> <target id>`, whose fingerprint begins with those 12
// hex digits. A name alone is not enough: an admin may call a snapshot
// `phx-before-upgrade`, and phx must never delete it (DESIGN §8).
import type { Fingerprint } from '../src/core/hash.ts';
import type { SnapshotInfo } from '../src/core/snapshot.ts';

/** Snapshot name of a layer: `phx-` and the first 12 hex digits (DESIGN §2). */
export function layerSnapshotName(fp: Fingerprint): string {
  return `phx-${fp.slice(0, 12)}`;
}

/** The description phx gives each snapshot it takes: what built it, so the host can say. */
export function layerSnapshotDescription(fp: Fingerprint, target: string): string {
  return `phx:${fp} ${target}`;
}

const layerName = /^phx-([0-9a-f]{12})$/;
const layerDescription = /^phx:([0-9a-f]+) \S+/;

/** A template snapshot phx took: `phx:<fingerprint> <kind>/<id>/snapshot/<its own name>`. */
const templateDescription = /^phx:[0-9a-f]+ [a-z]+\/\d+\/snapshot\/(\S+)$/;

export function isPhxLayerSnapshot(s: SnapshotInfo): boolean {
  const first = s.description.split('\n')[0] ?? '';
  const name = layerName.exec(s.name);
  const description = layerDescription.exec(first);
  if (name !== null && description !== null && description[1]!.startsWith(name[1]!)) return true;
  // The template snapshot (`final-form`) is phx's too when its description names it.
  return templateDescription.exec(first)?.[1] === s.name;
}

/**
 * A resume that would have to go past snapshots phx did not make: on ZFS
 * (the storage Proxmox rolls back only to the newest snapshot) the rollback
 * is impossible without deleting them, and phx does not delete them.
 */
export interface ForeignSnapshotsFailure {
  readonly type: 'foreign-snapshots';
  readonly guest: number;
  /** The layer snapshot the guest would resume from. */
  readonly resumeFrom: string;
  /** Snapshots newer than `resumeFrom` that phx did not make, oldest first. */
  readonly foreign: readonly string[];
  /** What the node said when the rollback was tried. */
  readonly cause: string;
}

export class ForeignSnapshotsError extends Error {
  constructor(readonly failure: ForeignSnapshotsFailure) {
    super(describeForeignSnapshots(failure));
    this.name = 'ForeignSnapshotsError';
  }
}

export function describeForeignSnapshots(f: ForeignSnapshotsFailure): string {
  const names = f.foreign.map((n) => `'${n}'`).join(', ');
  const one = f.foreign.length === 1;
  const first = f.foreign[0] ?? '';
  return (
    `CT ${f.guest}: cannot resume from ${f.resumeFrom}: snapshot${one ? '' : 's'} ${names} ` +
    `${one ? 'is' : 'are'} newer and phx did not make ${one ? 'it' : 'them'}, and the rollback ` +
    `needs ${one ? 'it' : 'them'} gone (${f.cause.trim()}). phx never deletes a snapshot it did ` +
    `not make. To go on, keep what you need from ${one ? 'it' : 'them'} (for example ` +
    `\`vzdump ${f.guest}\`), then remove ${one ? 'it' : 'them'} yourself ` +
    `(\`pct delsnapshot ${f.guest} ${first}\`) and build again; or undo the change that ` +
    `rebuilds this guest's layers.`
  );
}
