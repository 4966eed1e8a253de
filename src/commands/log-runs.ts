// The step logs a build keeps: `<cache>/logs/<target id>/<fingerprint>.log`,
// one file per fingerprint (execute.ts writes it). A rebuild with the same
// fingerprint rewrites its file, so the kept runs of a target are its files,
// ordered by the time of their last write. Which of them a build is writing
// right now is asked of the kernel: a running target's log is open in the
// process that holds the cache lock (its stream closes when the run ends,
// however it ends), so no marker in the log and no record in the cache is
// needed to tell a running step from a finished one.
import { readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { believedIdentity } from '../cache/lock-holder.ts';
import type { TargetId } from '../core/target-id.ts';

export interface LogRun {
  readonly target: TargetId;
  readonly path: string;
  /** When the run last wrote its log: its end, for a finished run. */
  readonly writtenAt: Date;
}

export function logDirOf(cacheDir: string, id: TargetId): string {
  return join(cacheDir, 'logs', id);
}

/** Every kept run of a target, oldest first; none when it never ran (or `cache gc` dropped them). */
export function runsOf(cacheDir: string, id: TargetId): LogRun[] {
  const dir = logDirOf(cacheDir, id);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const runs: LogRun[] = [];
  for (const name of names) {
    // Only files of this target: `lxc/950/feature` holds the folders of its features too.
    if (!name.endsWith('.log')) continue;
    const path = join(dir, name);
    try {
      const st = statSync(path);
      if (st.isFile()) runs.push({ target: id, path, writtenAt: st.mtime });
    } catch {
      /* removed by `cache gc` between the listing and the stat */
    }
  }
  return runs.sort((a, b) => a.writtenAt.getTime() - b.writtenAt.getTime() || cmp(a.path, b.path));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The build holding the cache lock now: its pid and when it took the lock. */
export interface RunningBuild {
  readonly pid: number;
  readonly since: Date;
}

export function runningBuild(cacheDir: string): RunningBuild | undefined {
  const file = join(cacheDir, 'build.lock');
  const id = believedIdentity(file);
  if (id === undefined) return undefined;
  try {
    // The holder writes build.lock right after taking the lock.
    return { pid: id.pid, since: statSync(file).mtime };
  } catch {
    return undefined; // released between the two reads
  }
}

/** The log in `dir` that process `pid` has open (is writing), if any. */
export function openLogIn(pid: number, dir: string): string | undefined {
  let real: string;
  try {
    real = realpathSync(dir);
  } catch {
    return undefined;
  }
  const prefix = real + '/';
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${String(pid)}/fd`);
  } catch {
    return undefined; // the process is gone
  }
  for (const fd of fds) {
    let target: string;
    try {
      target = readlinkSync(`/proc/${String(pid)}/fd/${fd}`);
    } catch {
      continue;
    }
    if (
      target.startsWith(prefix) &&
      target.endsWith('.log') &&
      !target.includes('/', prefix.length)
    )
      return target;
  }
  return undefined;
}

/** Whether process `pid` still has `path` open. */
export function isOpenBy(pid: number, path: string): boolean {
  const dir = path.slice(0, path.lastIndexOf('/'));
  return openLogIn(pid, dir) === path;
}
