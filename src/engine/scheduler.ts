// The scheduler: a ready queue over the jobs of one build, ordered by longest
// remaining path (recorded durations), bounded by -j and by named resource
// pools (`guest:<id>` one op per guest and a clone source's lock, `gpu:<i>`).
// A job starts only when it can take every pool it needs at once, so pools
// never deadlock. Each job runs at most once.
import type { BuildFailure, CancelReason } from '../core/failure.ts';
import { toFailure } from './to-failure.ts';

export interface Job {
  readonly id: string;
  /** Jobs of this build that must finish first. */
  readonly after: readonly string[];
  readonly pools: readonly string[];
  /** Estimated duration in ms, for the critical-path priority. */
  readonly estimateMs: number;
}

export type JobOutcome =
  | { readonly type: 'built' }
  | { readonly type: 'failed'; readonly failure: BuildFailure }
  | { readonly type: 'cancelled'; readonly reason: CancelReason };

export interface ScheduleOptions {
  readonly parallelism: number;
  readonly keepGoing: boolean;
  readonly signal: AbortSignal;
  /** Slots of a pool; guest pools have one. */
  readonly poolSize: (pool: string) => number;
  /**
   * Runs a job. It may say how it ended (a failure it already turned into a
   * value); a throw is turned into one here, and resolving with nothing is
   * success.
   */
  // eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- a job that only succeeds or throws returns nothing
  readonly run: (job: Job, signal: AbortSignal) => Promise<JobOutcome | void>;
  /** Told of each job cancelled without running (upstream failed, stopped, interrupted). */
  readonly onCancel?: (id: string, reason: CancelReason) => void;
}

export async function schedule(
  jobs: readonly Job[],
  opts: ScheduleOptions,
): Promise<Map<string, JobOutcome>> {
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const consumers = new Map<string, string[]>();
  const waiting = new Map<string, number>();
  for (const j of jobs) {
    const deps = j.after.filter((d) => byId.has(d));
    waiting.set(j.id, deps.length);
    for (const d of deps) {
      let list = consumers.get(d);
      if (!list) consumers.set(d, (list = []));
      list.push(j.id);
    }
  }
  const priority = criticalPaths(jobs, consumers);
  const outcomes = new Map<string, JobOutcome>();
  const ready: string[] = jobs.filter((j) => waiting.get(j.id) === 0).map((j) => j.id);
  const inUse = new Map<string, number>();
  const running = new Map<string, Promise<void>>();
  let stopping = false;

  const free = (pool: string) => (inUse.get(pool) ?? 0) < opts.poolSize(pool);
  const cancelDownstream = (id: string) => {
    const stack = [...(consumers.get(id) ?? [])];
    while (stack.length > 0) {
      const c = stack.pop()!;
      if (outcomes.has(c)) continue;
      outcomes.set(c, { type: 'cancelled', reason: 'failure-upstream' });
      opts.onCancel?.(c, 'failure-upstream');
      stack.push(...(consumers.get(c) ?? []));
    }
  };

  const launch = (job: Job) => {
    for (const p of job.pools) inUse.set(p, (inUse.get(p) ?? 0) + 1);
    const done = (async () => {
      let outcome: JobOutcome;
      try {
        outcome = (await opts.run(job, opts.signal)) ?? { type: 'built' };
      } catch (error) {
        outcome = opts.signal.aborted
          ? { type: 'cancelled', reason: 'interrupted' }
          : { type: 'failed', failure: toFailure(error) };
      }
      try {
        outcomes.set(job.id, outcome);
        if (outcome.type === 'built') {
          for (const c of consumers.get(job.id) ?? []) {
            const left = waiting.get(c)! - 1;
            waiting.set(c, left);
            if (left === 0 && !outcomes.has(c)) ready.push(c);
          }
        } else {
          if (!opts.keepGoing) stopping = true;
          cancelDownstream(job.id);
        }
      } finally {
        for (const p of job.pools) inUse.set(p, inUse.get(p)! - 1);
        running.delete(job.id);
      }
    })();
    running.set(job.id, done);
  };

  for (;;) {
    if (opts.signal.aborted) stopping = true;
    if (!stopping) {
      ready.sort((a, b) => priority.get(a)! - priority.get(b)! || (a < b ? 1 : -1));
      // Highest priority last; take from the end, skipping jobs whose pools are busy.
      for (let i = ready.length - 1; i >= 0 && running.size < opts.parallelism; i--) {
        const job = byId.get(ready[i]!)!;
        if (job.pools.every(free)) {
          ready.splice(i, 1);
          launch(job);
        }
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  const leftover: Extract<JobOutcome, { type: 'cancelled' }> = {
    type: 'cancelled',
    reason: opts.signal.aborted ? 'interrupted' : 'stopped',
  };
  for (const j of jobs) {
    if (outcomes.has(j.id)) continue;
    outcomes.set(j.id, leftover);
    opts.onCancel?.(j.id, leftover.reason);
  }
  return outcomes;
}

/** Longest path from each job to the end of the build, its own estimate included. */
function criticalPaths(
  jobs: readonly Job[],
  consumers: ReadonlyMap<string, readonly string[]>,
): Map<string, number> {
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const memo = new Map<string, number>();
  // Iterative post-order so long chains do not overflow the stack.
  for (const j of jobs) {
    const stack: [string, boolean][] = [[j.id, false]];
    while (stack.length > 0) {
      const [id, expanded] = stack.pop()!;
      if (memo.has(id)) continue;
      const next = consumers.get(id) ?? [];
      if (!expanded) {
        stack.push([id, true]);
        for (const c of next) if (!memo.has(c)) stack.push([c, false]);
      } else {
        let longest = 0;
        for (const c of next) longest = Math.max(longest, memo.get(c) ?? 0);
        memo.set(id, byId.get(id)!.estimateMs + longest);
      }
    }
  }
  return memo;
}
