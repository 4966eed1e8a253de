// The build as a stream of typed events (STYLE.md "Logging is a sink for
// events"): the engine emits them in the order things happen, and each view
// (plain lines, the live terminal view, NDJSON for CI) is one consumer that
// switches over this union. Times are milliseconds since the build started,
// on one clock, the same as `build --json`'s start_ms/end_ms.
import type { BuildFailure, CancelReason } from './failure.ts';
import type { TargetId, TargetKind } from './target-id.ts';

/** Which target an event is about, as plain data a view can print. */
export interface TargetRef {
  readonly id: TargetId;
  /** The CTID/VMID (`"950"`), `stack/<name>` or `host` (DESIGN §6). */
  readonly entry: string;
  readonly kind: TargetKind;
}

export interface PlannedTarget extends TargetRef {
  readonly action: 'build' | 'skip';
  /** Expected duration from recorded builds (or defaults), for the ETA. */
  readonly estimateMs: number;
}

export type BuildEvent =
  /** First event: every target of the plan, and how many may run at once. */
  | {
      readonly type: 'planned';
      readonly atMs: number;
      readonly targets: readonly PlannedTarget[];
      readonly parallelism: number;
    }
  /** A target that is up to date (one per skipped target, right after `planned`). */
  | { readonly type: 'skipped'; readonly atMs: number; readonly target: TargetRef }
  | {
      readonly type: 'started';
      readonly atMs: number;
      readonly target: TargetRef;
      /** Resource pools it holds while it runs (`gpu:0`, `guest:950`, …). */
      readonly pools: readonly string[];
    }
  /**
   * One line the target wrote to its log: the same text as the log file,
   * which holds no secret (rules and backends write them resolved-free).
   */
  | {
      readonly type: 'log';
      readonly atMs: number;
      readonly target: TargetId;
      readonly line: string;
    }
  | {
      readonly type: 'built';
      readonly atMs: number;
      readonly target: TargetRef;
      readonly durationMs: number;
    }
  | {
      readonly type: 'failed';
      readonly atMs: number;
      readonly target: TargetRef;
      readonly durationMs: number;
      readonly failure: BuildFailure;
      /** Absolute path of the target's log for this attempt. */
      readonly log: string;
    }
  /** A target of the plan that will not run (or stopped running) in this build. */
  | {
      readonly type: 'cancelled';
      readonly atMs: number;
      readonly target: TargetRef;
      readonly reason: CancelReason;
    }
  /** Last event: the executor is done (restarts and starts follow, outside the stream). */
  | { readonly type: 'finished'; readonly atMs: number };

export type BuildEventType = BuildEvent['type'];
