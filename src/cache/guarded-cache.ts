// The cache as its callers see it: a record that lmdb-js cannot decode is a
// damaged cache, a write that finds the disk full is "no space left in
// <dir>" naming the target, both as a CacheError that the command line and
// the scheduler print as one paragraph. Every method is wrapped by name, so
// a method added to Cache later is guarded too.
import type { Cache } from './cache-api.ts';
import { asWriteFailure, CacheError, commitCause } from './cache-problem.ts';

export function guardCache(cache: Cache, file: string): Cache {
  const damaged = (e: unknown): unknown => {
    if (e instanceof CacheError) return e;
    const back = asWriteFailure(e, cache.dir);
    if (back !== e) return back;
    const detail = e instanceof Error ? e.message : String(e);
    return new CacheError({ type: 'damaged', file, damage: { reason: 'unreadable', detail } });
  };
  const wrapped: Record<string, unknown> = { dir: cache.dir };
  for (const [name, value] of Object.entries(cache)) {
    if (typeof value !== 'function') continue;
    const fn = value as (...args: unknown[]) => unknown;
    const writes = /^(put|remove)/.test(name);
    // putTarget(id, …), putFailure(id, …): the target being recorded is the one to name.
    const target = (args: unknown[]) =>
      (name === 'putTarget' || name === 'putFailure') && typeof args[0] === 'string'
        ? args[0]
        : undefined;
    const fail = (e: unknown, args: unknown[]): unknown =>
      writes ? asWriteFailure(e, cache.dir, target(args)) : damaged(e);
    wrapped[name] = (...args: unknown[]): unknown => {
      let result: unknown;
      try {
        result = fn(...args);
      } catch (e) {
        throw fail(e, args);
      }
      if (result instanceof Promise)
        return result.catch(async (e: unknown) => {
          throw fail(await commitCause(e), args);
        });
      if (isIterator(result)) return guardIterator(result, damaged);
      return result;
    };
  }
  return wrapped as unknown as Cache;
}

function isIterator(x: unknown): x is Iterator<unknown> & Iterable<unknown> {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as { next?: unknown }).next === 'function' &&
    Symbol.iterator in x
  );
}

function* guardIterator(
  it: Iterator<unknown>,
  damaged: (e: unknown) => unknown,
): Generator<unknown, unknown, undefined> {
  for (;;) {
    let step: IteratorResult<unknown, unknown>;
    try {
      step = it.next();
    } catch (e) {
      throw damaged(e);
    }
    if (step.done) return step.value;
    yield step.value;
  }
}
