// A target: one buildable step of one guest (DESIGN §2), with exactly the
// inputs its fingerprint covers and the edges that order it.
import type { FeatureManifest, FeatureRef, Guest } from '../model/model.ts';
import type { TargetId, TargetKind } from '../core/target-id.ts';

export type EdgeKind = 'layer' | 'clone' | 'artifact' | 'apply' | 'order';

/** Edges whose producer's fingerprint enters the consumer's (Merkle chain). */
export const invalidatingEdges: ReadonlySet<EdgeKind> = new Set(['layer', 'clone', 'artifact']);

export interface Edge {
  readonly from: TargetId;
  readonly to: TargetId;
  readonly kind: EdgeKind;
}

export interface Target {
  readonly id: TargetId;
  /** The CTID/VMID the target belongs to, as a string ("950"). */
  readonly entry: string;
  readonly kind: TargetKind;
  readonly guest: Guest;
  /** Declared config slice: JSON pointer into the config file → value. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Absolute paths of the files the target reads (feature folder, app script). */
  readonly files: readonly string[];
  /** Incoming edges (producer → this target). */
  readonly deps: readonly Edge[];
  /** Resource pools held while it runs: `guest:<id>`, `gpu:<i>`. */
  readonly pools: readonly string[];
  /** Position in the guest's layer chain (0 = create/clone); undefined off the chain. */
  readonly layer?: number;
  readonly feature?: { readonly ref: FeatureRef; readonly manifest: FeatureManifest };
  /** Snapshot name of a `snapshot` target; clone source snapshot of a `clone` target. */
  readonly snapshotName?: string;
  /** For `clone`: the source guest. */
  readonly cloneSource?: Guest;
  /** For `feature`/`app`: the folder pushed into the guest. */
  readonly pushDir?: string;
  /** For `app`: the script to run inside pushDir. */
  readonly script?: string;
}
