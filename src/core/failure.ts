// Why a host operation failed, as a value (STYLE.md). Backends still throw
// it inside an OpError across async boundaries; the engine turns every thrown
// value into a failure once, where it catches.
/** Why an operation failed: a value, not a string. */
export type OpFailure =
  | {
      readonly type: 'command-failed';
      readonly argv: readonly string[];
      readonly exitCode: number;
      readonly stderr: string;
    }
  | { readonly type: 'rejected'; readonly reason: string }
  /** A guest's config holds a `lock:` (backup, snapshot, …) that did not go within the wait. */
  | {
      readonly type: 'guest-locked';
      readonly guest: number;
      readonly lock: string;
      /** The host file phx did not write. */
      readonly path: string;
      readonly waitedMs: number;
    }
  | { readonly type: 'missing-tool'; readonly tool: string }
  /** A VM's QEMU guest agent did not answer within the wait after start. */
  | { readonly type: 'agent-timeout'; readonly vm: number; readonly waitedMs: number }
  | { readonly type: 'cancelled' };

export class OpError extends Error {
  constructor(readonly failure: OpFailure) {
    super(describeFailure(failure));
    this.name = 'OpError';
  }
}

export function describeFailure(f: OpFailure): string {
  switch (f.type) {
    case 'command-failed':
      return `${f.argv.slice(0, 3).join(' ')} exited ${f.exitCode}${f.stderr ? `: ${f.stderr.trim()}` : ''}`;
    case 'rejected':
      return f.reason;
    case 'guest-locked':
      return (
        `CT ${f.guest} is locked (${f.lock}): ${f.path} not written after waiting ` +
        `${(f.waitedMs / 1000).toFixed(1)}s, as pct refuses a locked CT; retry when the ` +
        `${f.lock} ends, or clear a stale lock with 'pct unlock ${f.guest}'`
      );
    case 'missing-tool':
      return `${f.tool} is not installed`;
    case 'agent-timeout':
      return (
        `VM ${f.vm}: the QEMU guest agent did not answer within ${(f.waitedMs / 1000).toFixed(0)}s ` +
        `of start; check that qemu-guest-agent is installed and enabled in the image (agent: 1 is set)`
      );
    case 'cancelled':
      return 'cancelled';
  }
}

/**
 * Why a target of a build failed: one value per failed target, made once
 * where the engine catches (engine/to-failure.ts) and read by every view.
 * Which log holds the details travels beside it, on the failed event.
 */
export type BuildFailure =
  /** A host operation failed: a command's exit, a refusal, a lock that stayed. */
  | { readonly type: 'op'; readonly op: OpFailure }
  /** A write under the cache folder found the disk full. */
  | { readonly type: 'no-space'; readonly dir: string }
  /** The cache could not be trusted or written mid-build (not a full disk); `message` says what to do. */
  | { readonly type: 'cache'; readonly message: string }
  /**
   * A broken invariant (a bug in phx or a rule): the message only, never a
   * stack, which stays in the target's log for whoever debugs it.
   */
  | { readonly type: 'internal'; readonly message: string };

/** Why a target that did not build was cancelled. */
export type CancelReason =
  /** Something it consumes failed. */
  | 'failure-upstream'
  /** The build stopped starting work after a failure (no --keep-going). */
  | 'stopped'
  /** Ctrl-C or SIGTERM. */
  | 'interrupted';
