// What is pushed into a guest for a feature or an app: its own files, with
// features/lib/ beside them as lib/ (merged with an apps/lib/ of its own).
// The copy never follows a link out of the folder it copies: a symlink to a
// file inside becomes a copy of that file (as targets/files.ts hashes it),
// anything else is refused, so no host file (`/etc/shadow`) reaches a guest
// even if validation was skipped or the folder changed since.
import { chmod, copyFile, lstat, mkdir, readdir, realpath, rm, utimes } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { OpError } from '../src/core/failure.ts';
import { describeLinkProblem, linkProblem } from '../src/model/checks/containment.ts';
import { sharedLibDir } from '../targets/files.ts';

export interface StagePart {
  readonly from: string;
  /** Path inside the staged folder ('' for its root). */
  readonly to: string;
  /** The folder links in `from` may not leave (default: `from` if a folder, else its folder). */
  readonly root?: string;
}

/** A fresh folder under `scratch` holding `parts`, then features/lib/ as lib/. */
export async function stage(
  scratch: string,
  featuresDir: string,
  parts: readonly StagePart[],
): Promise<string> {
  const staged = join(scratch, 'push');
  await rm(staged, { recursive: true, force: true });
  await mkdir(staged, { recursive: true });
  for (const p of parts) {
    const root = p.root ?? ((await lstat(p.from)).isDirectory() ? p.from : dirname(p.from));
    await copyContained(p.from, join(staged, p.to), root);
  }
  const lib = sharedLibDir(featuresDir);
  if (existsSync(lib)) await copyContained(lib, join(staged, 'lib'), lib);
  return staged;
}

/**
 * Copy `from` (a file or a folder) to `to`: folders and regular files as
 * they are (mode and times kept), a symlink as the bytes of the file inside
 * `root` it names; any other link or special file is an error.
 */
export async function copyContained(from: string, to: string, root: string): Promise<void> {
  const st = await lstat(from);
  if (st.isSymbolicLink()) {
    const problem = linkProblem(root, from);
    if (problem)
      throw new OpError({
        type: 'rejected',
        reason: `${from}: ${describeLinkProblem(problem, root)}`,
      });
    await copyFile(await realpath(from), to);
    await chmod(to, (await lstat(await realpath(from))).mode & 0o7777);
  } else if (st.isDirectory()) {
    await mkdir(to, { recursive: true });
    for (const name of (await readdir(from)).sort())
      await copyContained(join(from, name), join(to, name), root);
  } else if (st.isFile()) {
    await copyFile(from, to);
    await chmod(to, st.mode & 0o7777);
    await utimes(to, st.atime, st.mtime);
  } else {
    throw new OpError({
      type: 'rejected',
      reason: `${from}: ${describeLinkProblem({ reason: 'special', link: from }, root)}`,
    });
  }
}
