// The one place resolved secrets touch the disk of the machine phx runs on:
// a private folder (mode 0700, files 0600) under the temp folder, named after
// the pid that made it, removed as soon as its files are pushed. A phx killed
// in between leaves it behind; the next phx removes every such folder whose
// process is gone (and only those: its own uid, a phx name, a dead pid).
import { lstat, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pidAlive } from '../src/core/pid-alive.ts';

const prefix = 'phx-run-';
const namePattern = /^phx-run-(\d+)-/;

export interface RunFolder {
  readonly dir: string;
  /** A new file readable by its owner only. */
  write(name: string, content: string): Promise<void>;
  remove(): Promise<void>;
}

let swept: Promise<string[]> | undefined;

export async function openRunFolder(base = tmpdir()): Promise<RunFolder> {
  // Once per process: a build that was killed leaves nothing for long.
  swept ??= sweepStaleRunFolders(base);
  await swept;
  const dir = await mkdtemp(join(base, `${prefix}${process.pid}-`)); // mkdtemp: mode 0700
  return {
    dir,
    write: (name, content) => writeFile(join(dir, name), content, { mode: 0o600, flag: 'wx' }),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Remove run folders left by processes that no longer exist; returns their paths. */
export async function sweepStaleRunFolders(base = tmpdir()): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(base);
  } catch {
    return [];
  }
  const uid = process.getuid?.();
  const removed: string[] = [];
  for (const name of names) {
    const m = namePattern.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || pidAlive(pid)) continue;
    const path = join(base, name);
    try {
      const st = await lstat(path);
      if (!st.isDirectory() || (uid !== undefined && st.uid !== uid)) continue;
      await rm(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      // gone meanwhile, or not ours to remove
    }
  }
  return removed;
}
