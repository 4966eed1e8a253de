// File digests through the stat cache: a file whose size, mtime and inode are
// as recorded keeps its digest without being read. Memoised per process, so a
// feature folder shared by 2,000 guests is stat'ed once.
import { stat } from 'node:fs/promises';
import { hashFile, type FileDigest } from '../core/hash.ts';
import type { Cache } from './cache-api.ts';

export class FileDigests {
  readonly #memo = new Map<string, Promise<FileDigest>>();
  constructor(private readonly cache: Cache | undefined) {}

  digest(path: string): Promise<FileDigest> {
    let p = this.#memo.get(path);
    if (!p) {
      p = this.#compute(path);
      this.#memo.set(path, p);
    }
    return p;
  }

  async #compute(path: string): Promise<FileDigest> {
    const st = await stat(path);
    const known = this.cache?.getFile(path);
    if (known && known.size === st.size && known.mtimeMs === st.mtimeMs && known.ino === st.ino) {
      return known.digest;
    }
    const digest = await hashFile(path);
    this.cache?.putFile(path, { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, digest });
    return digest;
  }
}
