// The real `phx validate` (bin/phx.js on dist/: run `npx tsc -p .` first) on
// a temporary workspace, for the input-robustness tests (issue 9, item 5).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { repoRoot } from '../helpers/rig.ts';
import { workspace } from './rig.ts';
import type { WorkspaceSpec } from './rig.ts';

export interface Validated {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function validate(spec: WorkspaceSpec, args: readonly string[] = []): Validated {
  return validateIn(workspace(spec), args);
}

/** validate in an existing workspace folder (for files the spec cannot express, like UTF-16). */
export function validateIn(cwd: string, args: readonly string[] = []): Validated {
  assert.ok(
    existsSync(join(repoRoot, 'dist', 'src', 'model', 'parse', 'structure.js')),
    'dist/ is missing the input checks: run `npx tsc -p .` first',
  );
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'phx.js'), 'validate', ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' },
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The `file:line:col: severity: …` lines of validate's stderr. */
export function headers(stderr: string): string[] {
  return stderr.split('\n').filter((l) => /^configs\/\S+:\d+:\d+: (error|warning): /.test(l));
}

/** No crash: no stack frame, no internal error. */
export function assertNoTrace(stderr: string): void {
  assert.not.match(stderr, /\n\s+at |internal error|RangeError|TypeError/);
}
