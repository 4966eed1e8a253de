// Which guests are phx's to destroy (DESIGN §8). phx marks every guest it
// creates or clones with a line `phx:owner=<workspace id>` in the guest's
// description, which Proxmox keeps with the guest (the `#` lines of its
// config) and copies to nothing else. The workspace id is a random id kept in
// `.phx-workspace` at the project root: outside the cache, so losing the cache
// loses no ownership, and git-ignored, so two checkouts on one host are two
// owners and never destroy each other's guests.
import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const workspaceFile = '.phx-workspace';

/** This workspace's id; created on first use, atomically (link(2) never overwrites). */
export function workspaceId(root: string): string {
  const path = join(root, workspaceFile);
  const read = (): string | undefined => {
    try {
      const id = readFileSync(path, 'utf8').trim();
      return /^[0-9a-f]{16}$/.test(id) ? id : undefined;
    } catch {
      return undefined;
    }
  };
  const existing = read();
  if (existing !== undefined) return existing;
  const tmp = `${path}.${process.pid}`;
  writeFileSync(tmp, randomBytes(8).toString('hex') + '\n');
  try {
    linkSync(tmp, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    unlinkSync(tmp);
  }
  const id = read();
  if (id === undefined) throw new Error(`${path} does not hold a workspace id`);
  return id;
}

export function ownerLine(id: string): string {
  return `phx:owner=${id}`;
}

/** The workspace id marked in a guest's description, if any. */
export function ownerIn(description: string): string | undefined {
  return /^phx:owner=([0-9a-f]{16})\s*$/m.exec(description)?.[1];
}

/** A description with this workspace's mark, the owner's own text kept. */
export function markedDescription(description: string, id: string): string {
  const kept = description
    .split('\n')
    .filter((l) => !/^phx:owner=/.test(l))
    .join('\n')
    .trim();
  return kept === '' ? ownerLine(id) : `${kept}\n${ownerLine(id)}`;
}

export type Ownership =
  | { readonly type: 'absent' }
  | { readonly type: 'ours' }
  /** Exists without a mark: made by hand, by the bash scripts, or before phx marked guests. */
  | { readonly type: 'unmarked' }
  | { readonly type: 'other-workspace'; readonly owner: string }
  /** The backend did not report descriptions (offline, state exports): trusted. */
  | { readonly type: 'unknown' };

export function ownershipOf(
  state: { readonly exists: boolean; readonly description?: string } | undefined,
  id: string,
): Ownership {
  if (state === undefined) return { type: 'unknown' };
  if (!state.exists) return { type: 'absent' };
  if (state.description === undefined) return { type: 'unknown' };
  const owner = ownerIn(state.description);
  if (owner === undefined) return { type: 'unmarked' };
  return owner === id ? { type: 'ours' } : { type: 'other-workspace', owner };
}

export function isForeign(o: Ownership): boolean {
  return o.type === 'unmarked' || o.type === 'other-workspace';
}

export function foreignText(entry: string, o: Ownership): string {
  const what =
    o.type === 'other-workspace'
      ? `it belongs to another phx workspace (${o.owner})`
      : 'phx did not make it (no phx:owner mark in its description)';
  return `guest ${entry} exists and ${what}; phx will not touch it. Take it over with \`phx adopt ${entry}\`, or free the id yourself`;
}
