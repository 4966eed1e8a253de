// What the terminal views know of a running build, folded from its events:
// how many targets build, how many are done, and what runs now (since when,
// holding which pools, its last log line). Plain and live views share it.
import type { BuildEvent } from '../../core/events.ts';

export interface Running {
  /** Build clock (ms since the start) when it started. */
  readonly startedMs: number;
  readonly pools: readonly string[];
  readonly estimateMs: number;
  lastLine?: string;
}

export class Progress {
  /** Targets this build runs (the plan's `build` rows). */
  total = 0;
  /** Built, failed or cancelled so far. */
  done = 0;
  parallelism = 1;
  readonly running = new Map<string, Running>();
  /** Estimates of targets not started yet. */
  private readonly pending = new Map<string, number>();

  apply(e: BuildEvent): void {
    switch (e.type) {
      case 'planned':
        this.parallelism = Math.max(1, e.parallelism);
        for (const t of e.targets)
          if (t.action === 'build') {
            this.total++;
            this.pending.set(t.id, t.estimateMs);
          }
        return;
      case 'started':
        this.running.set(e.target.id, {
          startedMs: e.atMs,
          pools: e.pools,
          estimateMs: this.pending.get(e.target.id) ?? 0,
        });
        this.pending.delete(e.target.id);
        return;
      case 'log': {
        const r = this.running.get(e.target);
        const line = visible(e.line);
        if (r && line !== '') r.lastLine = line;
        return;
      }
      case 'built':
      case 'failed':
      case 'cancelled':
        this.done++;
        this.running.delete(e.target.id);
        this.pending.delete(e.target.id);
        return;
      case 'skipped':
      case 'finished':
        return;
    }
  }

  /** GPU pools held by running targets, e.g. `["gpu:0"]`. */
  gpusInUse(): string[] {
    const gpus = new Set<string>();
    for (const r of this.running.values())
      for (const p of r.pools) if (p.startsWith('gpu:')) gpus.add(p);
    return [...gpus].sort();
  }

  /**
   * Time left, from recorded durations: the work still to do spread over the
   * parallel slots, but never less than the longest running target's rest.
   * A rough guide (pools and dependencies can serialise work), so views
   * print it as "~".
   */
  etaMs(nowMs: number): number | undefined {
    if (this.running.size === 0 && this.pending.size === 0) return undefined;
    let work = 0;
    let longest = 0;
    for (const r of this.running.values()) {
      const left = Math.max(0, r.estimateMs - (nowMs - r.startedMs));
      work += left;
      longest = Math.max(longest, left);
    }
    for (const ms of this.pending.values()) work += ms;
    return Math.max(longest, work / this.parallelism);
  }
}

/**
 * A log line as one line of a terminal: what a carriage return would leave
 * visible, without escape sequences or control bytes a script printed (a
 * progress bar's redraws must not move our cursor).
 */
export function visible(line: string): string {
  const afterCr = line.split('\r').filter((s) => s.trim() !== '');
  return (
    (afterCr[afterCr.length - 1] ?? '')
      /* eslint-disable no-control-regex -- removing control bytes is the point */
      .replace(/\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-_]/g, '')
      .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '')
      /* eslint-enable no-control-regex */
      .trim()
  );
}

/** `0.4s`, `12s`, `3m05s`, `1h02m`. */
export function duration(ms: number): string {
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(1)}s`;
  if (s < 60) return `${Math.floor(s)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
