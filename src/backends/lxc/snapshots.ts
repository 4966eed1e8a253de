// LXC names snapshots itself (`snap0`, `snap1`, … in `<ct>/snaps/`), so phx's
// name and description ride in the snapshot's comment file: line 1 the name
// (`phx-<12hex>` or `final-form`), line 2 the description
// (`phx:<fingerprint> <target id>`). Reading those files is the listing: it
// answers what `lxc-snapshot -L -C` prints, without parsing its layout.
import { accessSync, constants } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { type OpContext } from '../backend.ts';
import { OpError } from '../../core/failure.ts';
import { type SnapshotInfo } from '../../core/snapshot.ts';
import { runCommand } from './run.ts';

export interface LxcSnapshot extends SnapshotInfo {
  /** LXC's own name, the one lxc-snapshot -r/-d take. */
  readonly lxcName: string;
}

export function commentText(name: string, description: string): string {
  return `${name}\n${description}\n`;
}

/** Names and descriptions must each stay on one line of the comment file. */
export function badSnapshotText(name: string, description: string): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(name))
    return `snapshot name "${name}" is not [A-Za-z0-9_.-]{1,64}`;
  if (/[\r\n]/.test(description)) return 'a snapshot description must be one line';
  return undefined;
}

/** Oldest first. LXC reuses a freed snapN, so the order is the comment file's write time. */
export async function listSnapshots(snapsDir: string): Promise<LxcSnapshot[]> {
  let entries: string[];
  try {
    entries = await readdir(snapsDir);
  } catch {
    return [];
  }
  const found: { snap: LxcSnapshot; time: bigint }[] = [];
  for (const lxcName of entries.filter((e) => /^snap\d+$/.test(e))) {
    const file = join(snapsDir, lxcName, 'comment');
    let text: string;
    let time: bigint;
    try {
      text = await readFile(file, 'utf8');
      time = (await stat(file, { bigint: true })).mtimeNs;
    } catch {
      continue; // a snapshot phx did not take (no comment): not one of its outputs
    }
    const [name = '', description = ''] = text.split('\n');
    if (name !== '') found.push({ snap: { lxcName, name, description }, time });
  }
  found.sort((a, b) =>
    a.time < b.time ? -1 : a.time > b.time ? 1 : a.snap.lxcName.localeCompare(b.snap.lxcName),
  );
  return found.map((f) => f.snap);
}

/**
 * Runs one `lxc-snapshot` call. Taking (-c) and restoring (-r, which clone
 * and rollback use) copy the rootfs, and LXC's dir storage driver copies with
 * rsync, found on PATH; Debian's lxc only recommends rsync, so an install
 * with --no-install-recommends lacks it and lxc-snapshot exits 1 with nothing
 * that says why. Checked first, and again after a failure (it may have gone
 * meanwhile), so the error is a missing-tool failure naming rsync.
 */
export async function runLxcSnapshot(
  argv: readonly string[],
  configFile: string,
  ctx: OpContext,
): Promise<void> {
  const copies = argv.includes('-c') || argv.includes('-r');
  if (copies && !onPath('rsync') && (await dirBacked(configFile))) throw needsRsync(ctx);
  try {
    await runCommand(argv, ctx);
  } catch (e) {
    if (
      copies &&
      e instanceof OpError &&
      e.failure.type === 'command-failed' &&
      !onPath('rsync') &&
      (await dirBacked(configFile))
    )
      throw needsRsync(ctx);
    throw e;
  }
}

function needsRsync(ctx: OpContext): OpError {
  ctx.log(
    'lxc backend: lxc-snapshot copies a directory-backed rootfs with rsync, which is not on PATH (Debian: apt-get install rsync)',
  );
  return new OpError({ type: 'missing-tool', tool: 'rsync' });
}

/** An executable `tool` in a folder of this process's PATH, which lxc-snapshot inherits. */
function onPath(tool: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    try {
      accessSync(join(dir, tool), constants.X_OK);
      return true;
    } catch {
      /* not in this folder */
    }
  }
  return false;
}

/** `lxc.rootfs.path = dir:/…` or a bare path: LXC's dir driver (zfs:, lvm:, overlay: … copy otherwise). */
async function dirBacked(configFile: string): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(configFile, 'utf8');
  } catch {
    return true; // the lxc backend creates dir-backed containers only
  }
  const m = /^\s*lxc\.rootfs\.path\s*=\s*(\S+)/m.exec(text);
  return m?.[1] === undefined || m[1].startsWith('dir:') || m[1].startsWith('/');
}
