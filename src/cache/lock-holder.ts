// Who holds a cache lock. The lock itself is a kernel object (see lock.ts);
// this file only names its holder for messages, so a user can tell a phx
// still at work from a process that is not phx at all. The holder writes
// `build.lock` (pid, the start time the kernel gives that pid, a random
// token, its command) right after it takes the lock; a reader believes the
// file only if that pid is alive with that same start time, so a file left
// by a killed run, or one naming a recycled pid (pid 1, a `sleep`), is
// recognised as stale. When the file cannot be believed, the kernel is asked
// directly: /proc/net/unix gives the lock socket's inode, /proc/*/fd the
// process that has it open.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync, renameSync, writeFileSync } from 'node:fs';

/** What `build.lock` holds: enough to tell this process from any later one with the same pid. */
export interface LockIdentity {
  readonly pid: number;
  /** Field 22 of /proc/<pid>/stat (clock ticks since boot): a recycled pid has another. */
  readonly start: string;
  /** Random per acquisition: release removes the file only if it is still this one. */
  readonly token: string;
  /** What the holder is doing (`phx build`), for the waiting message. */
  readonly command: string;
}

export type LockHolder =
  /** A phx whose identity file matches a live process. */
  | { readonly type: 'phx'; readonly pid: number; readonly command: string }
  /** The lock is held by a process that wrote no believable identity: not a phx. */
  | { readonly type: 'foreign'; readonly pid: number | undefined; readonly command: string };

/** Start time of a live process, or undefined when there is none (or no /proc). */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19]; // field 22 overall; fields[0] is field 3
  } catch {
    return undefined;
  }
}

export function newIdentity(command: string): LockIdentity {
  const start = processStart(process.pid);
  if (start === undefined)
    throw new Error('phx: cannot read /proc/self/stat (the cache lock needs Linux /proc)');
  return { pid: process.pid, start, token: randomBytes(16).toString('hex'), command };
}

/** Written whole by rename, so a reader sees the old file or the new one, never half. */
export function writeIdentity(path: string, id: LockIdentity): void {
  const tmp = `${path}.${String(process.pid)}.tmp`;
  writeFileSync(tmp, JSON.stringify(id) + '\n');
  renameSync(tmp, path);
}

export function readIdentity(path: string): LockIdentity | undefined {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockIdentity>;
    if (
      typeof v.pid === 'number' &&
      typeof v.start === 'string' &&
      typeof v.token === 'string' &&
      typeof v.command === 'string'
    )
      return { pid: v.pid, start: v.start, token: v.token, command: v.command };
  } catch {
    /* missing, half-written by an older phx, or not JSON: no identity */
  }
  return undefined;
}

/** The identity in `path` if its process is alive and is the one that wrote it. */
export function believedIdentity(path: string): LockIdentity | undefined {
  const id = readIdentity(path);
  if (id === undefined) return undefined;
  return processStart(id.pid) === id.start ? id : undefined;
}

/** The pid that has the listening abstract socket `name` open, and its command line, if visible. */
export function socketHolder(name: string): { pid: number; command: string } | undefined {
  const inode = socketInode(name);
  if (inode === undefined) return undefined;
  const want = `socket:[${inode}]`;
  for (const entry of safeReaddir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    for (const fd of safeReaddir(`/proc/${entry}/fd`)) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${entry}/fd/${fd}`);
      } catch {
        continue;
      }
      if (target === want) return { pid: Number(entry), command: cmdline(Number(entry)) };
    }
  }
  return undefined;
}

function socketInode(name: string): string | undefined {
  let table: string;
  try {
    table = readFileSync('/proc/net/unix', 'utf8');
  } catch {
    return undefined;
  }
  // Abstract names are shown with '@' for each NUL; Node pads the name with NULs.
  const shown = `@${name}`;
  for (const line of table.split('\n')) {
    const cols = line.trim().split(/\s+/);
    const path = cols[7];
    if (path === undefined || !path.startsWith(shown)) continue;
    if (!/^@*$/.test(path.slice(shown.length))) continue;
    if (cols[3] === '00010000') return cols[6]; // listening: the lock itself
  }
  return undefined;
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${String(pid)}/cmdline`, 'utf8')
      .split('\0')
      .join(' ')
      .trim();
  } catch {
    return '?';
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
