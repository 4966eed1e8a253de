// Which files are a target's inputs: a feature's whole folder; an app script
// and the shared helpers beside it (features/apps/lib/), not the other apps.
import { join } from 'node:path';
import { existsSync } from 'node:fs';

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

export async function appFiles(appsDir: string, script: string): Promise<string[]> {
  const lib = join(appsDir, 'lib');
  const helpers = existsSync(lib) ? await featureFiles(lib) : [];
  return [join(appsDir, script), ...helpers];
}
