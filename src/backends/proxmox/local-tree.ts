// The files and folders of a local folder, for `push`: sorted so the pushed
// command list is the same on every run, executables marked so their mode
// survives `pct push`, and owner-only files (secrets) stay owner-only. Symlinks are followed only inside the folder's own
// files (a link to a file is pushed as that file's content).
import { readdir, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { LocalFile } from './guest-args.ts';

export interface LocalTree {
  readonly files: LocalFile[];
  /** Sub-folders, relative, parents before children. */
  readonly dirs: string[];
}

export async function readLocalTree(root: string): Promise<LocalTree> {
  const files: LocalFile[] = [];
  const dirs: string[] = [];
  async function walk(rel: string): Promise<void> {
    const entries = await readdir(join(root, rel), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const r = rel === '' ? e.name : posix.join(rel, e.name);
      const st = await stat(join(root, r));
      if (st.isDirectory() && !e.isSymbolicLink()) {
        dirs.push(r);
        await walk(r);
      } else if (st.isFile()) {
        files.push({
          rel: r,
          executable: (st.mode & 0o111) !== 0,
          private: (st.mode & 0o077) === 0,
        });
      }
    }
  }
  await walk('');
  return { files, dirs };
}
