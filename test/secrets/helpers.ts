// A workspace whose nginx feature reads 953's admin_password (an env:
// reference) and whose LXC file's root holds a token no step reads; each run
// gets its own TMPDIR so run folders left behind can be seen.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rig, type PhxResult } from '../helpers/rig.ts';

export const lxc = 'configs/phoenix_lxc_configs.json';

export function secretRig(): Rig {
  const rig = Rig.create();
  rig.editJson(
    'features/nginx/feature.json',
    (d) => void (d.reads = [...(d.reads ?? []), '/admin_password']),
  );
  rig.editJson(lxc, (d) => {
    d.lxc_configs['953'].admin_password = 'env:PHX_T_ADMIN';
    d.registry_token = 'env:PHX_T_ROOT';
  });
  mkdirSync(rig.path('tmp'));
  return rig;
}

/** A value no file of the repo can contain by chance. */
export function plaintext(label: string): string {
  return `${label}-${randomBytes(8).toString('hex')}`;
}

export function envOf(rig: Rig, admin: string, root: string): Record<string, string> {
  return { PHX_T_ADMIN: admin, PHX_T_ROOT: root, TMPDIR: rig.path('tmp') };
}

/** Every byte under `dir` (LMDB files included), as latin1 text to search. */
export function readAll(dir: string): string {
  if (!existsSync(dir)) return '';
  let out = '';
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    out += e.isDirectory() ? readAll(p) : e.isFile() ? readFileSync(p, 'latin1') : '';
  }
  return out;
}

export function outputs(results: readonly PhxResult[]): string {
  return results.map((r) => r.stdout + r.stderr).join('\n');
}

interface FsEntry {
  type: string;
  mode: number;
  sha256?: string;
}

/** A sim CT's modelled files. */
export function guestFiles(rig: Rig, id: number): Record<string, FsEntry> {
  const state = JSON.parse(rig.read(`.phoenix-sim/lxc/${id}.json`)) as {
    fs: Record<string, FsEntry>;
  };
  return state.fs;
}

export function guestFile(rig: Rig, id: number, path: string): string | undefined {
  const e = guestFiles(rig, id)[path];
  if (e?.sha256 === undefined) return undefined;
  return readFileSync(rig.path(`.phoenix-sim/blobs/${e.sha256}`), 'utf8');
}

export function runFolders(rig: Rig): string[] {
  return readdirSync(rig.path('tmp')).filter((n) => n.startsWith('phx-'));
}
