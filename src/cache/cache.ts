// The LMDB environment under .phoenix-cache/: target records, the file stat
// cache and recorded durations. A record is written in one transaction and
// only after its output exists, so a killed build never leaves a record that
// lies about the host.
import { join } from 'node:path';
import type { Database, RootDatabase } from 'lmdb';
import type { FileRecord, PlanSummary, RuleGraphRecord, TargetRecord } from './records.ts';
import { err, ok, type Result } from '../core/result.ts';
import { checkCacheDir, dataFileName } from './cache-health.ts';
import {
  asWriteFailure,
  CacheError,
  commitCause,
  isNoSpace,
  type CacheProblem,
} from './cache-problem.ts';
import { guardCache } from './guarded-cache.ts';
import type { Cache } from './cache-api.ts';

/**
 * The cache, or a CacheError saying what is wrong with it. Every command
 * opens it here, so none maps a data file that was not checked first.
 */
export async function openCache(dir: string): Promise<Cache> {
  const opened = await tryOpenCache(dir);
  if (!opened.ok) throw new CacheError(opened.error);
  return opened.value;
}

/** Check the data file (src/cache/lmdb-check.ts), then open it: lmdb-js faults on a damaged one. */
export async function tryOpenCache(dir: string): Promise<Result<Cache, CacheProblem>> {
  const checked = await checkCacheDir(dir);
  if (!checked.ok) return checked;
  const file = join(dir, dataFileName);
  try {
    return ok(guardCache(await openEnv(dir, file), file));
  } catch (e) {
    if (isNoSpace(e)) return err({ type: 'no-space', dir });
    // The file passed the check and LMDB still refuses it (MDB_INVALID, …).
    const detail = e instanceof Error ? e.message : String(e);
    return err({ type: 'damaged', file, damage: { reason: 'unreadable', detail } });
  }
}

/**
 * A write inside a transaction settles with the transaction, whose own
 * promise the caller awaits; its copy must not become an unhandled
 * rejection (a full disk would end the process).
 */
function settled(write: Promise<unknown>): void {
  write.then(undefined, () => undefined);
}

async function openEnv(dir: string, file: string): Promise<Cache> {
  const { open } = await import('lmdb');
  const root: RootDatabase = open({ path: file, compression: false });
  // Records are split: the small head (fingerprint, output, times) and the
  // canonical fingerprint JSON that only explain and changed targets read.
  const targets: Database<Omit<TargetRecord, 'data'>, string> = root.openDB({ name: 'targets' });
  const fingerprints: Database<string, string> = root.openDB({ name: 'fingerprints' });
  const withData = (
    id: string,
    head: Omit<TargetRecord, 'data'> | undefined,
  ): TargetRecord | undefined => head && { ...head, data: fingerprints.get(id) ?? '' };
  const files: Database<FileRecord, string> = root.openDB({ name: 'files' });
  const durations: Database<number, string> = root.openDB({ name: 'durations' });
  const failures: Database<string, string> = root.openDB({ name: 'failures' });
  const plans: Database<PlanSummary, string> = root.openDB({ name: 'plans' });
  const meta: Database<number, string> = root.openDB({ name: 'meta' });
  const ruleGraphs: Database<RuleGraphRecord, string> = root.openDB({ name: 'rule-graphs' });
  const lines: Database<readonly string[], string> = root.openDB({ name: 'lines' });
  let lateFailure: unknown;
  const bump = () => {
    settled(meta.put('generation', (meta.get('generation') ?? 0) + 1));
  };

  return {
    dir,
    getTarget: (id) => withData(id, targets.get(id)),
    getTargetHead: (id) => targets.get(id),
    *allTargets() {
      for (const { key, value } of targets.getRange()) yield [key, withData(key, value)!];
    },
    putTarget: (id, record) =>
      root.transaction(() => {
        const { data, ...head } = record;
        settled(targets.put(id, head));
        settled(fingerprints.put(id, data));
        bump();
        settled(durations.put(id, record.durationMs));
        settled(failures.remove(id));
      }),
    removeTargets: (ids) =>
      root.transaction(() => {
        for (const id of ids) {
          settled(targets.remove(id));
          settled(fingerprints.remove(id));
        }
        bump();
      }),
    getFailure: (id) => failures.get(id),
    putFailure: async (id, fingerprint) => {
      await failures.put(id, fingerprint);
    },
    getPlanSummary: (key) => plans.get(key),
    putPlanSummary: async (key, summary) => {
      await plans.put(key, summary);
    },
    getRuleGraph: (key) => ruleGraphs.get(key),
    putRuleGraph: async (key, record) => {
      await ruleGraphs.put(key, record);
    },
    getLines: (fileDigest) => lines.get(fileDigest),
    putLines: async (fileDigest, digests) => {
      await lines.put(fileDigest, digests);
    },
    getFile: (path) => files.get(path),
    putFile: (path, record) => {
      // Not awaited (the stat cache is an optimisation), but a failed write
      // is kept and reported by close(), never left as an unhandled rejection.
      files.put(path, record).then(undefined, (e: unknown) => {
        lateFailure ??= e;
      });
    },
    generation: () => meta.get('generation') ?? 0,
    getDuration: (id) => durations.get(id),
    close: async () => {
      await root.close();
      if (lateFailure !== undefined) throw asWriteFailure(await commitCause(lateFailure), dir);
    },
  };
}
