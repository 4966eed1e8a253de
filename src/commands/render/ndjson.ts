// `--events FILE|-`: the build's events as they happen, one JSON object per
// line, for CI tools (DESIGN §6). The wire format is written out here, field
// by field, so a change to the internal event types cannot change it
// unnoticed; keys are snake_case like `build --json`'s.
import type { BuildEvent, TargetRef } from '../../core/events.ts';
import { failureJson, failureText } from './failure-text.ts';

export function eventJson(e: BuildEvent): Record<string, unknown> {
  const at = { type: e.type, at_ms: e.atMs };
  const ref = (t: TargetRef) => ({ id: t.id, entry: t.entry, kind: t.kind });
  switch (e.type) {
    case 'planned':
      return {
        ...at,
        parallelism: e.parallelism,
        targets: e.targets.map((t) => ({
          ...ref(t),
          action: t.action,
          estimate_ms: t.estimateMs,
        })),
      };
    case 'skipped':
      return { ...at, ...ref(e.target) };
    case 'started':
      return { ...at, ...ref(e.target), pools: e.pools };
    case 'log':
      return { ...at, id: e.target, line: e.line };
    case 'built':
      return { ...at, ...ref(e.target), duration_ms: e.durationMs };
    case 'failed':
      return {
        ...at,
        ...ref(e.target),
        duration_ms: e.durationMs,
        error: failureText(e.failure, e.target.id),
        failure: failureJson(e.failure),
        log: e.log,
      };
    case 'cancelled':
      return { ...at, ...ref(e.target), reason: e.reason };
    case 'finished':
      return at;
  }
}

/** A view that writes each event as one line through `writeLine`. */
export function ndjsonView(writeLine: (line: string) => void): (e: BuildEvent) => void {
  return (e) => {
    writeLine(JSON.stringify(eventJson(e)) + '\n');
  };
}
