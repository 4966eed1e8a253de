// The check every opening of the cache goes through (src/cache/cache.ts),
// and the way out of a damaged one: move it aside, keep it, start afresh.
import { mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { err, ok, type Result } from '../core/result.ts';
import { isNoSpace, type CacheProblem } from './cache-problem.ts';
import { checkLmdbFile } from './lmdb-check.ts';

export const dataFileName = 'state.mdb';

/** The cache folder exists and its data file is absent or sound: lmdb-js may map it. */
export async function checkCacheDir(dir: string): Promise<Result<void, CacheProblem>> {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    if (isNoSpace(e)) return err({ type: 'no-space', dir });
    throw e;
  }
  const file = join(dir, dataFileName);
  let check = checkLmdbFile(file);
  // Damage must hold still to count. LMDB creates the file empty and writes
  // its meta pages a moment later (another phx opening a new cache), and a
  // writer in another process may reuse pages of the snapshot being read
  // (the check is no registered LMDB reader): look again before saying so.
  for (let i = 0; i < 4 && check.type === 'damaged'; i++) {
    await sleep(50);
    check = checkLmdbFile(file);
  }
  if (check.type === 'damaged') return err({ type: 'damaged', file, damage: check.damage });
  return ok(undefined);
}

/** Where a damaged data file went, for the user to keep or delete. */
export interface SetAside {
  readonly from: string;
  readonly to: string;
}

/**
 * Move the data file and its lock file aside, named with the time, so that
 * LMDB starts a new one. Nothing is deleted: the damaged file is the user's
 * evidence (DESIGN §8, phx never destroys what is not its own to judge).
 */
export function setAsideDataFile(dir: string, now = new Date()): SetAside {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const from = join(dir, dataFileName);
  const to = join(dir, `${dataFileName}.damaged-${stamp}`);
  renameSync(from, to);
  try {
    // The lock file describes readers of the old file only.
    renameSync(`${from}-lock`, `${to}-lock`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  return { from, to };
}

export function dataFileExists(dir: string): boolean {
  try {
    statSync(join(dir, dataFileName));
    return true;
  } catch {
    return false;
  }
}
