// What a rule (rules/<kind>.ts) is given and must do: bring one target's
// output into being on the backend, and say what that output is.
import type { Backend, OpContext } from '../backends/backend.ts';
import type { SnapshotInfo } from '../core/snapshot.ts';
import type { Project } from '../model/model.ts';
import type { Fingerprint } from '../core/hash.ts';
import type { Target } from './target.ts';
import type { TargetId, TargetKind } from '../core/target-id.ts';

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

export interface RuleContext {
  readonly target: Target;
  readonly fingerprint: Fingerprint;
  readonly project: Project;
  readonly backend: Backend;
  readonly op: OpContext;
  readonly guest: GuestRun;
  /** The recorded or just-built output of a producer (a snapshot name). */
  outputOf(id: TargetId): string | undefined;
  /** For `settings`: the rollback this build resumes the guest from, if any. */
  readonly resume?: Resume;
  /** Consumed producers (artifact edges) → the local folder of their published files. */
  readonly artifacts: ReadonlyMap<TargetId, string>;
  /** A scratch folder of this target on the machine running phx. */
  readonly scratchDir: string;
  /** Environment phx runs in, for `env:NAME` secret references. */
  readonly env: NodeJS.ProcessEnv;
}

export interface Rule {
  readonly kind: TargetKind;
  /** URL of the rule's module: its bytes are an input of every target it builds. */
  readonly source: string;
  /** Does the work; returns the output ('' when the target has none besides its effect). */
  run(ctx: RuleContext): Promise<string>;
}
