// Which files are a target's inputs: a feature's whole folder; an app script
// plus the shared folders beside it (features/apps/lib/, apps/nginx/, …), but
// not the other app scripts, so one app's edit never rebuilds another app.
import { join } from 'node:path';
import { readdirSync } from 'node:fs';

async function glob(dir: string): Promise<string[]> {
  const { default: fg } = await import('fast-glob');
  const found = await fg('**/*', { cwd: dir, dot: true, onlyFiles: true, absolute: true });
  return found.sort();
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

export async function appFiles(appsDir: string, script: string): Promise<string[]> {
  const shared = await Promise.all(
    appSharedDirs(appsDir).map((d) => featureFiles(join(appsDir, d))),
  );
  return [join(appsDir, script), ...shared.flat()];
}
