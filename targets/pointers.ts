// Config slices are keyed by JSON pointers into the user's file, so a reason
// can say `config:/lxc_configs/950/memory_mb` and explain can point at it.
import type { Guest } from '../src/model/model.ts';

function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Value at a JSON pointer inside a value; undefined when absent. */
export function valueAt(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  let cur: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[unescapeToken(raw)];
  }
  return cur;
}

/**
 * Slice of the guest's entry: entry-relative pointers → file pointers and
 * values. A key the entry only inherits from the LXC file's root is named by
 * its root pointer (`/nvidia_runfile_url`), because that is where to edit it.
 */
export function configSlice(
  guest: Guest,
  lxcRoot: Readonly<Record<string, unknown>>,
  entryPointers: readonly string[],
): Record<string, unknown> {
  const slice: Record<string, unknown> = {};
  for (const p of entryPointers) {
    const value = valueAt(guest.config, p);
    const first = unescapeToken(p.slice(1).split('/')[0] ?? '');
    const inherited =
      guest.kind === 'lxc' &&
      first in lxcRoot &&
      valueAt(lxcRoot, p) === value &&
      value !== undefined;
    const filePointer = inherited ? p : guest.source.pointer + p;
    slice[filePointer] = value === undefined ? null : value;
  }
  return slice;
}

export function keyPointers(keys: readonly string[]): string[] {
  return keys.map((k) => '/' + escapeToken(k));
}
