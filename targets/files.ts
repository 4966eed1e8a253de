// Which files are a target's inputs: a feature's whole folder; an app script
// plus the shared folders beside it (features/apps/lib/, apps/nginx/, …), but
// not the other app scripts, so one app's edit never rebuilds another app;
// and for both, features/lib/, the helpers pushed with each of them.
// Links are never followed out of a folder: a symlink counts only when it
// names a regular file inside the same folder (its bytes are hashed, as
// rules/stage.ts pushes them); validation refuses every other link.
import { join } from 'node:path';
import { existsSync, readdirSync } from 'node:fs';
import { linkProblem } from '../src/model/checks/containment.ts';

async function glob(dir: string): Promise<string[]> {
  const { default: fg } = await import('fast-glob');
  const found = await fg('**/*', {
    cwd: dir,
    dot: true,
    onlyFiles: false,
    followSymbolicLinks: false,
    objectMode: true,
  });
  const files: string[] = [];
  for (const e of found) {
    const path = join(dir, e.path);
    if (e.dirent.isFile()) files.push(path);
    else if (e.dirent.isSymbolicLink() && linkProblem(dir, path) === undefined) files.push(path);
  }
  return files.sort();
}

const memo = new Map<string, Promise<string[]>>();

export function featureFiles(dir: string): Promise<string[]> {
  let p = memo.get(dir);
  if (!p) {
    p = glob(dir);
    memo.set(dir, p);
  }
  return p;
}

/** Sub-folders of features/apps/: resources every app script may use. */
export function appSharedDirs(appsDir: string): string[] {
  try {
    return readdirSync(appsDir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
  } catch {
    return [];
  }
}

/** features/lib/: helpers pushed with every feature and app as lib/. */
export function sharedLibDir(featuresDir: string): string {
  return join(featuresDir, 'lib');
}

async function sharedLibFiles(featuresDir: string): Promise<string[]> {
  const dir = sharedLibDir(featuresDir);
  return existsSync(dir) ? featureFiles(dir) : [];
}

/** A feature's inputs: its folder and the shared lib. */
export async function featureInputs(featuresDir: string, dir: string): Promise<string[]> {
  return [...(await featureFiles(dir)), ...(await sharedLibFiles(featuresDir))];
}

/** An app's inputs: its script, the shared folders of features/apps/, and the shared lib. */
export async function appFiles(
  featuresDir: string,
  appsDir: string,
  script: string,
): Promise<string[]> {
  const shared = await Promise.all(
    appSharedDirs(appsDir).map((d) => featureFiles(join(appsDir, d))),
  );
  return [join(appsDir, script), ...shared.flat(), ...(await sharedLibFiles(featuresDir))];
}
