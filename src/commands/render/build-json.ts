// `phx build --json`: the final document (DESIGN §6), printed when the build
// ends. Every host action of the build: each target's commands (host file
// writes as `["writeFile", path]`), then the restarts and the starts that
// follow; a failed target adds what failed and the path of its log.
import { join } from 'node:path';
import type { ExecuteResult } from '../../engine/execute.ts';
import type { Plan } from '../../engine/plan.ts';
import type { RestartOutcome } from '../build-restarts.ts';
import { failureJson, failureText } from './failure-text.ts';

/** A guest the build started (or found running) after its targets, and the commands that took. */
export interface Started {
  readonly guest: string;
  readonly commands: readonly string[][];
}

export function buildJson(
  plan: Plan,
  result: ExecuteResult,
  started: readonly Started[],
  restart: RestartOutcome | undefined,
  cacheDir: string,
): Record<string, unknown> {
  return {
    version: 1,
    targets: plan.targets.map((p) => {
      const r = result.runs.get(p.target.id)!;
      const o = r.outcome;
      return {
        id: p.target.id,
        entry: p.target.entry,
        kind: p.target.kind,
        action: o.type,
        ...(r.startMs !== undefined ? { start_ms: r.startMs, end_ms: r.endMs } : {}),
        commands: r.commands,
        ...(o.type === 'failed'
          ? {
              error: failureText(o.failure, p.target.id),
              failure: failureJson(o.failure),
              ...(r.log === undefined ? {} : { log: join(cacheDir, r.log) }),
            }
          : {}),
      };
    }),
    ...(restart === undefined ? {} : { restart }),
    starts: started,
    wall_ms: result.wallMs,
  };
}
