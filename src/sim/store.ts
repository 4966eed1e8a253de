// Persistence of the sim node: one JSON file per CT, written atomically
// (temp file + rename), a short per-CT mutex so two processes never interleave
// a read-modify-write, and a content-addressed blob store for file contents.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, mkdir, readdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CtState, SnapshotState } from './ct-state.ts';

/** A CT's state without file models: what read-only queries need. */
export type CtSummary = Omit<CtState, 'fs' | 'snapshots'> & {
  readonly snapshots: readonly Omit<SnapshotState, 'fs'>[];
};

function summarise(ct: CtState): CtSummary {
  const { fs: _fs, snapshots, ...rest } = ct;
  return { ...rest, snapshots: snapshots.map(({ fs: _sfs, ...s }) => s) };
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isErrno(e: unknown, code: string): boolean {
  return typeof e === 'object' && e !== null && (e as NodeJS.ErrnoException).code === code;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function writeAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, content);
  await rename(tmp, path);
}

/**
 * Run `fn` holding an exclusive file lock. Held only for a read-modify-write,
 * never across a simulated duration; a holder that died is taken over.
 */
export async function withMutex<T>(path: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (let wait = 1; ; wait = Math.min(wait * 2, 20)) {
    // The pid is written first and the mutex appears whole by link(2), so a
    // process killed at any point never leaves an empty, unclaimable mutex.
    const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
    await writeFile(tmp, String(process.pid));
    try {
      await link(tmp, path);
      break;
    } catch (e) {
      if (!isErrno(e, 'EEXIST')) throw e;
      const holder = Number(await readFile(path, 'utf8').catch(() => ''));
      if (holder > 0 && holder !== process.pid && !pidAlive(holder))
        await unlink(path).catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`sim: mutex ${path} held for over 30 s`);
      await sleep(wait);
    } finally {
      await unlink(tmp).catch(() => undefined);
    }
  }
  try {
    return await fn();
  } finally {
    await unlink(path).catch(() => undefined);
  }
}

export class SimStore {
  constructor(readonly dir: string) {}

  private get lxcDir(): string {
    return join(this.dir, 'lxc');
  }

  async init(): Promise<void> {
    await mkdir(this.lxcDir, { recursive: true });
    await mkdir(join(this.dir, 'blobs'), { recursive: true });
  }

  ctFile(id: number): string {
    return join(this.lxcDir, `${id}.json`);
  }

  async load(id: number): Promise<CtState | undefined> {
    try {
      return JSON.parse(await readFile(this.ctFile(id), 'utf8')) as CtState;
    } catch (e) {
      if (isErrno(e, 'ENOENT')) return undefined;
      throw e;
    }
  }

  async save(ct: CtState): Promise<void> {
    await writeAtomic(this.ctFile(ct.vmid), JSON.stringify(ct));
    // The state without its file models, for read-only queries (status and
    // snapshot lists, one per guest in every plan): written after the state,
    // so a reader never sees a summary newer than the state it summarises.
    await writeAtomic(this.summaryFile(ct.vmid), JSON.stringify(summarise(ct)));
  }

  summaryFile(id: number): string {
    return join(this.lxcDir, `${id}.summary`);
  }

  /** The summary of a CT; falls back to the full state when none was written yet. */
  async loadSummary(id: number): Promise<CtSummary | undefined> {
    try {
      // Sync: one small file per guest per plan; the async read costs four syscalls' worth of turns.
      return JSON.parse(readFileSync(this.summaryFile(id), 'utf8')) as CtSummary;
    } catch (e) {
      if (!isErrno(e, 'ENOENT')) throw e;
      const ct = await this.load(id);
      return ct && summarise(ct);
    }
  }

  async remove(id: number): Promise<void> {
    await rm(this.summaryFile(id), { force: true });
    await rm(this.ctFile(id), { force: true });
  }

  async ids(): Promise<number[]> {
    const names = await readdir(this.lxcDir).catch(() => [] as string[]);
    return names
      .map((n) => /^(\d+)\.json$/.exec(n)?.[1])
      .filter((x): x is string => x !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  /** Serialise read-modify-write of one CT across processes. */
  withCt<T>(id: number, fn: () => Promise<T>): Promise<T> {
    return withMutex(join(this.lxcDir, `${id}.mutex`), fn);
  }

  async putBlob(content: Uint8Array): Promise<string> {
    const sha = createHash('sha256').update(content).digest('hex');
    const path = join(this.dir, 'blobs', sha);
    // Same name, same bytes: a concurrent writer of the same blob is harmless.
    await writeAtomic(path, content);
    return sha;
  }

  async getBlob(sha: string): Promise<Buffer | undefined> {
    return readFile(join(this.dir, 'blobs', sha)).catch(() => undefined);
  }
}
