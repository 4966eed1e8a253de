// The one place a thrown value becomes a build failure (STYLE.md "convert
// once, at the edge"): the executor's catch around a target, and the
// scheduler's catch for a job that threw past it. Everything above reads
// the typed value; nobody unpacks errors with `instanceof` again.
import { OpError, type BuildFailure } from '../core/failure.ts';
import { CacheError, isNoSpace } from '../cache/cache-problem.ts';

export function toFailure(e: unknown, cacheDir?: string): BuildFailure {
  if (e instanceof OpError) return { type: 'op', op: e.failure };
  if (e instanceof CacheError) {
    return e.problem.type === 'no-space'
      ? { type: 'no-space', dir: e.problem.dir }
      : { type: 'cache', message: e.message };
  }
  // A full disk under the cache (the target's log, its artifacts, a record).
  if (cacheDir !== undefined && isNoSpace(e)) return { type: 'no-space', dir: cacheDir };
  if (e instanceof Error) {
    // The name tells a TypeError from a plain Error; the stack stays out of sight.
    return {
      type: 'internal',
      message: e.name === 'Error' ? e.message : `${e.name}: ${e.message}`,
    };
  }
  return { type: 'internal', message: String(e) };
}
