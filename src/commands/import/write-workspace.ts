// Writes an import plan into the workspace. Nothing is overwritten unless
// forced, and the check covers every file before the first is written, so a
// refused import leaves the workspace exactly as it was. A forced write
// replaces the link itself when a destination is a symlink, never the file
// it points at (phx never destroys what is not its own).
import { lstat, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { err, ok, type Result } from '../../core/result.ts';
import type { PlannedFile } from './import-plan.ts';

export interface Written {
  readonly written: readonly string[];
  /** Files written only when absent that were already there (kept as they are). */
  readonly kept: readonly string[];
}

export interface Conflict {
  readonly reason: 'exists';
  readonly paths: readonly string[];
}

export async function writeWorkspace(
  into: string,
  files: readonly PlannedFile[],
  force: boolean,
): Promise<Result<Written, Conflict>> {
  const present = new Set<string>();
  for (const f of files) if (await exists(join(into, f.path))) present.add(f.path);
  const conflicts = files
    .filter((f) => f.ifAbsent !== true && present.has(f.path))
    .map((f) => f.path);
  if (conflicts.length > 0 && !force) return err({ reason: 'exists', paths: conflicts });
  const written: string[] = [];
  const kept: string[] = [];
  for (const f of files) {
    const target = join(into, f.path);
    if (present.has(f.path)) {
      if (f.ifAbsent === true) {
        kept.push(f.path);
        continue;
      }
      await rm(target, { force: true });
    }
    await mkdir(dirname(target), { recursive: true });
    // flag 'wx': a file that appeared since the check is not overwritten either.
    await writeFile(target, f.bytes, { mode: f.executable ? 0o755 : 0o644, flag: 'wx' });
    written.push(f.path);
  }
  return ok({ written, kept });
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}
