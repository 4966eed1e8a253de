// What can go wrong with the cache folder itself, as values: a data file that
// cannot be trusted, and a full disk. Each renders as one paragraph that says
// what is wrong and what to do; neither shows a stack trace (DESIGN §7).
import { dirname } from 'node:path';
import type { LmdbDamage } from './lmdb-check.ts';

export type CacheProblem =
  | {
      readonly type: 'damaged';
      /** The LMDB data file. */
      readonly file: string;
      readonly damage: LmdbDamage | { readonly reason: 'unreadable'; readonly detail: string };
    }
  | {
      readonly type: 'no-space';
      /** The cache folder (or the folder under it that could not be written). */
      readonly dir: string;
      /** The target being built when the write failed, when there is one. */
      readonly target?: string;
    }
  /**
   * A write under the cache failed with an I/O error: what LMDB's sync
   * reports after a write of the same commit found the disk full, or a
   * failing disk.
   */
  | {
      readonly type: 'write-failed';
      readonly dir: string;
      readonly detail: string;
      readonly target?: string;
    };

/**
 * Thrown by the cache where its callers cannot take a Result (deep inside a
 * build); `src/cli.ts` and the scheduler turn it into a message, never a trace.
 */
export class CacheError extends Error {
  constructor(readonly problem: CacheProblem) {
    super(describeCacheProblem(problem));
    this.name = 'CacheError';
  }
}

export function describeCacheProblem(p: CacheProblem): string {
  switch (p.type) {
    case 'damaged':
      return (
        `the cache's data file ${p.file} is damaged (${describeDamage(p.damage)}), so phx cannot ` +
        `read its records and will not guess them. Run \`phx cache rebuild\`: it moves the damaged ` +
        `file aside (kept, with a timestamp in its name) and re-derives the records from the ` +
        `snapshot descriptions on the host; settings, firewall and checks re-apply on the next build.`
      );
    case 'no-space':
      return (
        `no space left in ${p.dir}` +
        (p.target === undefined ? '' : ` while building ${p.target}`) +
        `: free some space there (\`phx cache gc\` drops old logs) and run phx again; ` +
        `nothing was recorded for what did not finish.`
      );
    case 'write-failed':
      return (
        `could not write the cache in ${p.dir}` +
        (p.target === undefined ? '' : ` while building ${p.target}`) +
        ` (${p.detail}): the disk under it is full or failing; free space or check it and ` +
        `run phx again; nothing was recorded for what did not finish.`
      );
  }
}

export function describeDamage(d: LmdbDamage | { reason: 'unreadable'; detail: string }): string {
  switch (d.reason) {
    case 'empty':
      return 'it is empty: 0 bytes';
    case 'too-short':
      return `it has only ${d.size} bytes, less than its header`;
    case 'not-lmdb':
      return `meta page ${d.page} does not carry the LMDB magic number`;
    case 'version':
      return `it claims LMDB data version ${d.found}, not 2`;
    case 'page-size':
      return `its header gives an impossible page size, ${d.found}`;
    case 'truncated':
      return `it is truncated: ${d.size} bytes where its pages need at least ${d.needed}`;
    case 'bad-page':
      return `page ${d.page} is garbled: ${d.what}`;
    case 'unreadable':
      return `a record cannot be decoded: ${d.detail}`;
  }
}

/** An error from a write under the cache folder, as a CacheError when the disk is full or the write failed with EIO. */
export function asWriteFailure(e: unknown, dir: string, target?: string): unknown {
  const named = target === undefined ? {} : { target };
  if (isNoSpace(e)) return new CacheError({ type: 'no-space', dir, ...named });
  if (isIoError(e))
    return new CacheError({ type: 'write-failed', dir, detail: 'I/O error', ...named });
  return e;
}

/** EIO: LMDB's sync of a commit whose pages did not fit, or a failing disk. */
export function isIoError(e: unknown): boolean {
  if (e instanceof CacheError || !(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  return code === 'EIO' || code === 5 || /input\/output error/i.test(e.message);
}

export function isNoSpace(e: unknown): boolean {
  if (e instanceof CacheError) return false;
  if (!(e instanceof Error)) return false;
  const code = (e as NodeJS.ErrnoException).code;
  // lmdb-js reports a failed write as an Error whose message holds the errno text.
  return (
    code === 'ENOSPC' || code === 'EDQUOT' || /no space left on device|ENOSPC/i.test(e.message)
  );
}

/**
 * The cache problem an error stands for, for the command line's last catch:
 * a CacheError, or a raw "no space" from a write nobody wrapped (the lock
 * file, a log folder), named by the folder it was writing in.
 */
export function cacheProblemOf(e: unknown, cacheDir: string): CacheProblem | undefined {
  if (e instanceof CacheError) return e.problem;
  if (isIoError(e)) return { type: 'write-failed', dir: cacheDir, detail: 'I/O error' };
  if (!isNoSpace(e)) return undefined;
  // A failed write(2) carries no path; the open before it succeeded, so the
  // file is one phx writes, under the cache unless the error says otherwise.
  const path = (e as NodeJS.ErrnoException).path;
  return { type: 'no-space', dir: path === undefined ? cacheDir : dirname(path) };
}

/** lmdb-js rejects a failed commit with a generic error whose cause is a promise. */
export async function commitCause(e: unknown): Promise<unknown> {
  const cause = (e as { commitError?: unknown } | null)?.commitError;
  if (!(cause instanceof Promise)) return e;
  try {
    await cause;
    return e;
  } catch (inner) {
    return inner;
  }
}
