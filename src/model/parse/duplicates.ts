// Duplicate keys in one object. JSON.parse keeps the last silently, so a
// second "103" entry would hide the first; phx names both lines instead.
// Only called when the member count says a duplicate exists (structure.ts),
// and only on text whose depth is bounded, since jsonc-parser recurses.
import { visit } from 'jsonc-parser';
import { fromPath } from '../pointer.ts';

export interface DuplicateKey {
  readonly key: string;
  /** JSON pointer of the member (its key is what is duplicated). */
  readonly pointer: string;
  /** Offset of the later key, and of the first one with that name. */
  readonly offset: number;
  readonly firstOffset: number;
}

export function findDuplicateKeys(text: string): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  // One map per open object: key → offset of its first occurrence. A Map, not
  // an object, so keys like "__proto__" or "constructor" are plain keys.
  const open: Map<string, number>[] = [];
  visit(
    text,
    {
      onObjectBegin: () => {
        open.push(new Map());
      },
      onObjectEnd: () => {
        open.pop();
      },
      onObjectProperty: (key, offset, _length, _line, _character, pathSupplier) => {
        const seen = open[open.length - 1];
        if (seen === undefined) return;
        const firstOffset = seen.get(key);
        if (firstOffset === undefined) seen.set(key, offset);
        else found.push({ key, pointer: fromPath([...pathSupplier(), key]), offset, firstOffset });
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );
  return found;
}
