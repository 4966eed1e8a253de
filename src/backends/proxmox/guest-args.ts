// Command lines for operations inside and on an existing container: exec,
// push, snapshots, lifecycle. Each config value is one argv element; checks
// that keep a value from changing a command's meaning live here.
import { posix } from 'node:path';
import { err, ok, type Result } from '../../core/result.ts';
import type { ExecRequest } from '../backend.ts';
import { isEnvName, isSafeAbsPath, isSnapshotName } from '../../model/pve/formats.ts';

/**
 * `pct exec <id> -- env -C <cwd> K=V … <argv…>`. `env` sets the directory and
 * variables without a shell. argv[0] must not contain `=` (env would take it
 * as one more variable) and must not start with `-` (an env option).
 */
export function execArgv(id: number, req: ExecRequest): Result<string[], string> {
  if (!isSafeAbsPath(req.cwd))
    return err(`working directory "${req.cwd}" is not a plain absolute path`);
  const cmd = req.argv[0];
  if (cmd === undefined || cmd === '') return err('nothing to run: argv is empty');
  if (cmd.includes('=') || cmd.startsWith('-'))
    return err(`command "${cmd}" would be read by env as a variable or option`);
  const env: string[] = [];
  for (const k of Object.keys(req.env).sort()) {
    if (!isEnvName(k)) return err(`environment name "${k}" is not a variable name`);
    env.push(`${k}=${req.env[k] ?? ''}`);
  }
  return ok(['pct', 'exec', String(id), '--', 'env', '-C', req.cwd, ...env, ...req.argv]);
}

/**
 * A folder that `rm -rf` may safely replace: absolute, normalised, and at
 * least two levels deep, so no value can make it `/` or `/var`.
 */
export function checkRemoteDir(dir: string): Result<string, string> {
  const norm = posix.normalize(dir).replace(/\/+$/, '');
  if (
    !isSafeAbsPath(dir) ||
    norm !== dir.replace(/\/+$/, '') ||
    norm.split('/').filter(Boolean).length < 2
  ) {
    return err(
      `remote folder "${dir}" must be a normalised absolute path at least two levels deep`,
    );
  }
  return ok(norm);
}

export interface LocalFile {
  /** Path relative to the pushed folder, `/`-separated. */
  readonly rel: string;
  readonly executable: boolean;
  /**
   * Readable by its owner only (no group or other bits), like the entry with
   * resolved secrets: `pct push` would otherwise create it 0644.
   */
  readonly private?: boolean;
}

/** `--perms` for one file: a private file stays private, an executable keeps its bit. */
function permsArgs(f: LocalFile): string[] {
  if (f.private === true) return ['--perms', f.executable ? '0700' : '0600'];
  return f.executable ? ['--perms', '0755'] : [];
}

/**
 * The commands that replace `remoteDir` with a folder staged at `hostDir`:
 * one `rm -rf`, one `mkdir -p` of every folder, one `pct push` per file
 * (executables keep their bit through `--perms 0755`, private files stay 0600).
 */
export function pushArgvs(
  id: number,
  hostDir: string,
  remoteDir: string,
  files: readonly LocalFile[],
  dirs: readonly string[],
): string[][] {
  const ct = String(id);
  const mk = [remoteDir, ...dirs.map((d) => posix.join(remoteDir, d))];
  return [
    ['pct', 'exec', ct, '--', 'rm', '-rf', remoteDir],
    ['pct', 'exec', ct, '--', 'mkdir', '-p', ...mk],
    ...files.map((f) => [
      'pct',
      'push',
      ct,
      posix.join(hostDir, f.rel),
      posix.join(remoteDir, f.rel),
      ...permsArgs(f),
    ]),
  ];
}

export function checkSnapshotName(name: string): Result<string, string> {
  return isSnapshotName(name)
    ? ok(name)
    : err(
        `snapshot name "${name}" must start with a letter and hold only letters, digits, "-" and "_" (at most 40)`,
      );
}

export const snapshotArgv = (id: number, name: string, description: string): string[] => [
  'pct',
  'snapshot',
  String(id),
  name,
  '--description',
  description,
];
export const delsnapshotArgv = (id: number, name: string): string[] => [
  'pct',
  'delsnapshot',
  String(id),
  name,
];
export const rollbackArgv = (id: number, name: string): string[] => [
  'pct',
  'rollback',
  String(id),
  name,
];
export const statusArgv = (id: number): string[] => ['pct', 'status', String(id)];
export const startArgv = (id: number): string[] => ['pct', 'start', String(id)];
export const stopArgv = (id: number): string[] => ['pct', 'stop', String(id)];
export const destroyArgv = (id: number): string[] => ['pct', 'destroy', String(id), '--purge', '1'];
export const resizeArgv = (id: number, disk: string, sizeGb: number): string[] => [
  'pct',
  'resize',
  String(id),
  disk,
  `${sizeGb}G`,
];
