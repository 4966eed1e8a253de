// A build failure in words, for people: one line (or paragraph for a full
// disk) per failure, no stack trace; the log file holds the rest.
import { describeFailure, type BuildFailure, type OpFailure } from '../../core/failure.ts';
import { describeCacheProblem } from '../../cache/cache-problem.ts';

export function failureText(f: BuildFailure, target?: string): string {
  switch (f.type) {
    case 'op':
      return describeFailure(f.op);
    case 'no-space':
      return describeCacheProblem({
        type: 'no-space',
        dir: f.dir,
        ...(target === undefined ? {} : { target }),
      });
    case 'cache':
    case 'internal':
      return f.message;
  }
}

/**
 * A failure as JSON for `--events` and `build --json`: `type` says where it
 * came from and, for a host operation, `reason` which way it failed (DESIGN
 * §6 keys are snake_case).
 */
export function failureJson(f: BuildFailure): Record<string, unknown> {
  switch (f.type) {
    case 'op':
      return { type: 'op', ...opJson(f.op) };
    case 'no-space':
      return { type: f.type, dir: f.dir };
    case 'cache':
    case 'internal':
      return { type: f.type, message: f.message };
  }
}

function opJson(op: OpFailure): Record<string, unknown> {
  switch (op.type) {
    case 'command-failed':
      return { reason: op.type, argv: op.argv, exit_code: op.exitCode, stderr: op.stderr };
    case 'rejected':
      return { reason: op.type, message: op.reason };
    case 'guest-locked':
      return {
        reason: op.type,
        guest: op.guest,
        lock: op.lock,
        path: op.path,
        waited_ms: op.waitedMs,
      };
    case 'missing-tool':
      return { reason: op.type, tool: op.tool };
    case 'agent-timeout':
      return { reason: op.type, vm: op.vm, waited_ms: op.waitedMs };
    case 'cancelled':
      return { reason: op.type };
  }
}
