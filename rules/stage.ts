// What is pushed into a guest for a feature or an app: its own files, with
// features/lib/ beside them as lib/ (merged with an apps/lib/ of its own).
import { cp, mkdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sharedLibDir } from '../targets/files.ts';

export interface StagePart {
  readonly from: string;
  /** Path inside the staged folder ('' for its root). */
  readonly to: string;
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
  for (const p of parts)
    await cp(p.from, join(staged, p.to), { recursive: true, preserveTimestamps: true });
  const lib = sharedLibDir(featuresDir);
  if (existsSync(lib))
    await cp(lib, join(staged, 'lib'), { recursive: true, preserveTimestamps: true });
  return staged;
}
