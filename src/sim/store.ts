// Persistence of the sim node: one JSON file per CT, written atomically
// (temp file + rename), a short per-CT mutex so two processes never interleave
// a read-modify-write, and a content-addressed blob store for file contents.
// The files are small and the node is one process's helper: synchronous I/O
// costs far less than a thread-pool round trip per syscall, and the
// simulated durations (the only long waits) stay asynchronous.
import { createHash } from 'node:crypto';
import { existsSync, linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { CtState, FsModel, SnapshotState } from './ct-state.ts';
import { pidAlive } from '../core/pid-alive.ts';

/** A snapshot as stored: its file model by digest in the blob store. */
interface StoredSnapshot {
  readonly name: string;
  readonly config: SnapshotState['config'];
  readonly fsSha: string;
}

type StoredCt = Omit<CtState, 'snapshots'> & { readonly snapshots: readonly StoredSnapshot[] };

/** A CT's state without file models: what read-only queries need. */
export type CtSummary = Omit<CtState, 'fs' | 'snapshots'> & {
  readonly snapshots: readonly Omit<SnapshotState, 'fs'>[];
};

function summarise(ct: CtState): CtSummary {
  const { fs: _fs, snapshots, ...rest } = ct;
  return { ...rest, snapshots: snapshots.map((s) => ({ name: s.name, config: s.config })) };
}

function isErrno(e: unknown, code: string): boolean {
  return typeof e === 'object' && e !== null && (e as NodeJS.ErrnoException).code === code;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let tmpCounter = 0;
/** A temp name no other writer (this process or another) uses. */
const tmpName = (path: string) => `${path}.${process.pid}.${++tmpCounter}.tmp`;

export function writeAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const tmp = tmpName(path);
  writeFileSync(tmp, content);
  renameSync(tmp, path);
  return Promise.resolve();
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    /* already gone */
  }
}

function readQuietly(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
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
    const tmp = tmpName(path);
    writeFileSync(tmp, String(process.pid));
    let taken = false;
    try {
      linkSync(tmp, path);
      taken = true;
    } catch (e) {
      if (!isErrno(e, 'EEXIST')) throw e;
    } finally {
      unlinkQuietly(tmp);
    }
    if (taken) break;
    const holder = Number(readQuietly(path));
    if (holder > 0 && holder !== process.pid && !pidAlive(holder)) unlinkQuietly(path);
    if (Date.now() > deadline) throw new Error(`sim: mutex ${path} held for over 30 s`);
    await sleep(wait);
  }
  try {
    return await fn();
  } finally {
    unlinkQuietly(path);
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

  load(id: number): Promise<CtState | undefined> {
    let stored: StoredCt;
    try {
      stored = JSON.parse(readFileSync(this.ctFile(id), 'utf8')) as StoredCt;
    } catch (e) {
      if (isErrno(e, 'ENOENT')) return Promise.resolve(undefined);
      throw e;
    }
    const snapshots = stored.snapshots.map((s) => this.lazySnapshot(s));
    return Promise.resolve({ ...stored, snapshots });
  }

  /**
   * A snapshot's file model lives in the blob store under its digest (a CT's
   * state would otherwise carry one copy of its files per snapshot, and every
   * command rewrites it); it is read only when a clone or rollback needs it.
   */
  private lazySnapshot(s: StoredSnapshot): SnapshotState {
    let fs: FsModel | undefined;
    const blob = join(this.dir, 'blobs', s.fsSha);
    const snap = { name: s.name, config: s.config, fsSha: s.fsSha } as SnapshotState & {
      fsSha: string;
    };
    Object.defineProperty(snap, 'fs', {
      enumerable: false,
      get: () => (fs ??= JSON.parse(readFileSync(blob, 'utf8')) as FsModel),
    });
    return snap;
  }

  private async storedSnapshot(s: SnapshotState): Promise<StoredSnapshot> {
    const known = (s as Partial<StoredSnapshot>).fsSha;
    const fsSha = known ?? (await this.putBlob(Buffer.from(JSON.stringify(s.fs))));
    return { name: s.name, config: s.config, fsSha };
  }

  async save(ct: CtState): Promise<void> {
    const snapshots = await Promise.all(ct.snapshots.map((s) => this.storedSnapshot(s)));
    const stored: StoredCt = { ...ct, snapshots };
    await writeAtomic(this.ctFile(ct.vmid), JSON.stringify(stored));
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
    // Same name, same bytes: a blob already there is this one, and a
    // concurrent writer of the same blob is harmless.
    if (!existsSync(path)) await writeAtomic(path, content);
    return sha;
  }

  getBlob(sha: string): Promise<Buffer | undefined> {
    try {
      return Promise.resolve(readFileSync(join(this.dir, 'blobs', sha)));
    } catch {
      return Promise.resolve(undefined);
    }
  }
}
