// LXC names snapshots itself (`snap0`, `snap1`, … in `<ct>/snaps/`), so phx's
// name and description ride in the snapshot's comment file: line 1 the name
// (`phx-<12hex>` or `final-form`), line 2 the description
// (`phx:<fingerprint> <target id>`). Reading those files is the listing: it
// answers what `lxc-snapshot -L -C` prints, without parsing its layout.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { SnapshotInfo } from '../backend.ts';

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
