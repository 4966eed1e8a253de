// What every target has (the base of each member of the Target union in
// target.ts) and the edges between targets. Apart from target.ts so the
// files that define a kind's own fields can build on the base without
// importing the union that imports them.
import type { Guest, SourceRef } from '../src/model/model.ts';
import type { TargetId, TargetKind } from '../src/core/target-id.ts';

export type EdgeKind = 'layer' | 'clone' | 'artifact' | 'apply' | 'order';

/** Edges whose producer's fingerprint enters the consumer's (Merkle chain). */
export const invalidatingEdges: ReadonlySet<EdgeKind> = new Set(['layer', 'clone', 'artifact']);

export interface Edge {
  readonly from: TargetId;
  readonly to: TargetId;
  readonly kind: EdgeKind;
}

/** What every target has, whatever its kind. */
export interface TargetBase<K extends TargetKind> {
  readonly id: TargetId;
  /** The CTID/VMID the target belongs to, as a string ("950"). */
  readonly entry: string;
  readonly kind: K;
  readonly guest: Guest;
  /** Declared config slice: JSON pointer into the config file → value. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Absolute paths of the files the target reads (feature folder, app script). */
  readonly files: readonly string[];
  /** Incoming edges (producer → this target). */
  readonly deps: readonly Edge[];
  /** Resource pools held while it runs: `guest:<id>`, `gpu:<i>`. */
  readonly pools: readonly string[];
  /**
   * VMs: how long a step that starts the VM waits for its guest agent (the
   * build file's `vm.agentTimeoutS`). How long to wait is not an input.
   */
  readonly agentTimeoutMs?: number;
}

/**
 * A step of the guest's layer chain (0 = create/clone): its rule leaves a
 * layer snapshot, and a rebuild of it rolls the guest back to the one below.
 */
export interface OnChain {
  readonly layer: number;
}

/** Beside the chain: `layer` reads as undefined, so any target can be asked. */
export interface OffChain {
  readonly layer?: undefined;
}

/** What a target of the host has: no guest; its entry is "host". */
export interface HostBase<K extends TargetKind>
  extends Omit<TargetBase<K>, 'guest' | 'entry'>, OffChain {
  readonly entry: 'host';
  readonly guest?: undefined;
  /** Where in the hypervisor config it is declared (the pool's or dataset's object). */
  readonly source: SourceRef;
}
