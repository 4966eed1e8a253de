// What a rule (rules/<kind>.ts) declares and is given: what its target's
// output is, when it runs again though its inputs did not change, and how it
// brings the output into being on the backend with a context for its kind.
import type { Backend, OpContext } from '../src/backends/backend.ts';
import type { SnapshotInfo } from '../src/core/snapshot.ts';
import type { Project } from '../src/model/model.ts';
import type { Fingerprint } from '../src/core/hash.ts';
import type { GuestTargetKind, TargetOf } from '../targets/target.ts';
import type { TargetId, TargetKind } from '../src/core/target-id.ts';

/**
 * What a target leaves behind, and so what its record names:
 * - 'layer-snapshot': the engine snapshots the guest as `phx-<fingerprint>`
 *   after the rule runs (a step of the layer chain; a later rebuild resumes
 *   from it);
 * - 'named-snapshot': the rule takes a snapshot under a name of the
 *   configs and returns that name;
 * - 'nothing': an effect on the guest only (settings, a firewall file, a
 *   check that passed).
 */
export type Produces = 'layer-snapshot' | 'named-snapshot' | 'nothing';

/**
 * When an up-to-date target still runs, because its guest changed beneath
 * it (the plan's `reapply` reason):
 * - 'never';
 * - 'when-recreated': after its guest is created or cloned anew, which has
 *   none of it (the firewall file goes with a destroyed guest);
 * - 'when-any-layer-rebuilds': also after a rollback to a layer snapshot,
 *   which restores the guest's config as it was at that snapshot.
 */
export type Reapplied = 'never' | 'when-recreated' | 'when-any-layer-rebuilds';

/** The live state of one guest as this build has left it (no re-queries). */
export interface GuestRun {
  exists: boolean;
  running: boolean;
  /** Oldest first. */
  snapshots: SnapshotInfo[];
}

/** Where a guest resumes: roll back to `snapshot` after deleting `newer` (newest first). */
export interface Resume {
  readonly snapshot: string;
  readonly newer: readonly string[];
}

/** What every rule is given. */
interface CommonContext {
  readonly fingerprint: Fingerprint;
  readonly project: Project;
  readonly backend: Backend;
  readonly op: OpContext;
  readonly guest: GuestRun;
  /** The recorded or just-built output of a producer (a snapshot name). */
  outputOf(id: TargetId): string | undefined;
  /** Consumed producers (artifact edges) → the local folder of their published files. */
  readonly artifacts: ReadonlyMap<TargetId, string>;
  /** A scratch folder of this target on the machine running phx. */
  readonly scratchDir: string;
  /** Environment phx runs in, for `env:NAME` secret references. */
  readonly env: NodeJS.ProcessEnv;
  /** Pools the user named with --allow-destructive: only these may be created on their disks. */
  readonly allowDestructive: ReadonlySet<string>;
}

/**
 * What a kind is given beyond the common context: settings, which runs
 * after every rollback, is the one rule handed the rollback to do first.
 */
type KindContext<K extends TargetKind> = K extends 'settings'
  ? {
      /** The layer snapshot this build resumes the guest from, if any. */
      readonly resume?: Resume;
    }
  : { readonly resume?: never };

/** The context a rule of kind K runs with: its own target, typed for the kind. */
export type RuleContext<K extends TargetKind = GuestTargetKind> = CommonContext & {
  readonly target: TargetOf<K>;
} & KindContext<K>;

/**
 * A rule's output, as its targets declare it: a target on the layer chain
 * produces a layer snapshot, and only such a target does (the engine rolls
 * guests back along the chain to these snapshots).
 */
export type ProducesFor<K extends TargetKind> = K extends TargetKind
  ? TargetOf<K> extends { readonly layer: number }
    ? 'layer-snapshot'
    : 'named-snapshot' | 'nothing'
  : never;

/**
 * What a plan may ask of the host about one host target: read-only queries
 * (`zpool list`, `pvesm status`…), never a change (DESIGN §8: plan touches
 * nothing).
 */
export interface PresenceContext {
  readonly backend: Backend;
  readonly op: OpContext;
}

export interface Rule<K extends TargetKind = TargetKind> {
  readonly kind: K;
  /** URL of the rule's module: its bytes are an input of every target it builds. */
  readonly source: string;
  readonly produces: ProducesFor<K>;
  readonly reapplied: Reapplied;
  /**
   * Does the work; returns the output: the snapshot name of a
   * 'named-snapshot' rule, '' otherwise (a layer snapshot is the engine's).
   */
  run(ctx: RuleContext<K>): Promise<string>;
  /**
   * Host kinds: whether what the target made is still on the host, asked by
   * a live plan of a recorded target (a pool destroyed by hand then builds
   * again, as a guest's missing snapshot does). `name` is the part of the
   * id after `host/<kind>/`. Undefined: not asked, or the backend does not
   * manage its host. A kind without it has its record trusted.
   */
  present?(name: string, ctx: PresenceContext): Promise<boolean | undefined>;
}

/** One rule per kind: a kind without its rule, or with another kind's, does not compile. */
export type RuleRegistry = { readonly [K in TargetKind]: Rule<K> };

/** The rule that builds targets of `kind`. */
export function ruleFor<K extends TargetKind>(registry: RuleRegistry, kind: K): Rule<K> {
  return registry[kind];
}
