// Nothing outside a feature's folder is pushed or hashed (issue 8.10): a
// symlink in a feature folder, features/lib/ or features/apps/ must name a
// regular file inside that same folder. `ln -s /etc/shadow features/x/y`
// would otherwise copy the host's shadow file into a guest. A link to a file
// inside is allowed and means that file's bytes, for hashing and pushing
// alike (targets/files.ts, rules/stage.ts); a link to a folder is refused,
// so no tree enters twice and no loop is walked.
import { lstatSync, readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { APPS_DIR } from '../features.ts';
import type { CheckContext } from './context.ts';

export type LinkProblem =
  | { readonly reason: 'outside'; readonly link: string; readonly target: string }
  | { readonly reason: 'dangling'; readonly link: string; readonly target: string }
  | { readonly reason: 'folder'; readonly link: string; readonly target: string }
  | { readonly reason: 'special'; readonly link: string };

/**
 * Folders whose files phx pushes, each a root links may not leave: each
 * feature's, the shared lib, and each shared folder of features/apps/ (the
 * unit an app pushes and hashes). The app scripts themselves are checked
 * against features/apps/ by `scanRoot(apps, false)`.
 */
export function containmentRoots(featuresDir: string, featureDirs: readonly string[]): string[] {
  const apps = join(featuresDir, APPS_DIR);
  let shared: string[] = [];
  try {
    shared = readdirSync(apps, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => join(apps, d.name));
  } catch {
    // no apps folder
  }
  return [...featureDirs, join(featuresDir, 'lib'), ...shared.sort()];
}

/** Whether `path` (resolved, real) is `root` or inside it. */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !rel.startsWith(sep));
}

/** What a symlink at `link` inside `root` may not be; undefined when it names a file inside. */
export function linkProblem(root: string, link: string): LinkProblem | undefined {
  const target = readlinkSync(link);
  let real: string;
  try {
    real = realpathSync(link);
  } catch {
    return { reason: 'dangling', link, target };
  }
  if (!isInside(realpathSync(root), real)) return { reason: 'outside', link, target };
  if (statSync(real).isDirectory()) return { reason: 'folder', link, target };
  if (!statSync(real).isFile()) return { reason: 'special', link };
  return undefined;
}

/** Every problem under `root`, walking without following links (only its own entries unless `deep`). */
export function scanRoot(root: string, deep = true): LinkProblem[] {
  const out: LinkProblem[] = [];
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isSymbolicLink()) {
        const problem = linkProblem(root, p);
        if (problem) out.push(problem);
      } else if (e.isDirectory()) {
        if (deep) walk(p);
      } else if (!e.isFile()) out.push({ reason: 'special', link: p });
    }
  };
  try {
    const st = lstatSync(root);
    // features/lib/ linked from elsewhere would push that whole folder.
    if (st.isSymbolicLink()) return [{ reason: 'folder', link: root, target: readlinkSync(root) }];
    if (!st.isDirectory()) return out;
  } catch {
    return out;
  }
  walk(root);
  return out;
}

export function describeLinkProblem(p: LinkProblem, rootDisplay: string): string {
  switch (p.reason) {
    case 'outside':
      return `symlink to ${p.target} leaves ${rootDisplay}: phx pushes and hashes nothing outside a feature's folder (copy the file in instead)`;
    case 'dangling':
      return `symlink to ${p.target} names nothing`;
    case 'folder':
      return `symlink to ${p.target} names a folder: only links to files inside ${rootDisplay} are followed`;
    case 'special':
      return `not a regular file, folder or symlink (a socket, fifo or device cannot be pushed)`;
  }
}

export function checkContainment(ctx: CheckContext): void {
  if (!ctx.catalog.exists) return;
  const dirs = [...ctx.catalog.features.values()].map((f) => f.dir);
  const show = (abs: string): string => {
    const rel = relative(ctx.featuresDir, abs);
    return rel === '' ? ctx.featuresDisplay : `${ctx.featuresDisplay}/${rel.split(sep).join('/')}`;
  };
  const apps = join(ctx.featuresDir, APPS_DIR);
  const scans: [string, boolean][] = [
    ...containmentRoots(ctx.featuresDir, dirs).map((r): [string, boolean] => [r, true]),
    [apps, false],
  ];
  for (const [root, deep] of scans) {
    for (const problem of scanRoot(root, deep)) {
      ctx.reporter.atPath(show(problem.link), {
        severity: 'error',
        code: 'feature-symlink',
        pointer: '',
        message: describeLinkProblem(problem, show(root)),
      });
    }
  }
}
