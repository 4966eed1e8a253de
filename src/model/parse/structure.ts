// One linear pass over a config's text, before any parser sees it: how deep
// it nests and how many object members it spells out. Both recursive parsers
// we use (jsonc-parser for positions, zod for schemas) overflow the stack on
// deep input, so the depth is measured here, without recursion; the member
// count lets a valid file prove it has no duplicate keys without building a
// key set per object (see duplicates.ts).

/** Deeper than any real config (Phoenix's nest about 6 levels) and far below the parsers' stack limits. */
export const MAX_DEPTH = 64;

export interface Structure {
  /** `key: value` pairs written in the text (one per colon outside strings). */
  readonly members: number;
  /** Offset of the first `{` or `[` that opens level MAX_DEPTH + 1, if any. */
  readonly tooDeepAt: number | undefined;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * Tolerant of invalid JSON (it stops at the end of the text), so the depth
 * limit also protects the error path, where jsonc-parser reads the whole file.
 */
export function scanStructure(text: string, maxDepth = MAX_DEPTH): Structure {
  let depth = 0;
  let members = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    switch (text.charCodeAt(i)) {
      case QUOTE:
        // Skip the whole string: braces and colons inside it are text.
        i = endOfString(text, i + 1) - 1;
        break;
      case COLON:
        members++;
        break;
      case OPEN_BRACE:
      case OPEN_BRACKET:
        if (++depth > maxDepth) return { members, tooDeepAt: i };
        break;
      case CLOSE_BRACE:
      case CLOSE_BRACKET:
        depth--;
        break;
    }
  }
  return { members, tooDeepAt: undefined };
}

/** Offset just past the quote that closes a string whose content starts at `from`. */
function endOfString(text: string, from: number): number {
  let i = from;
  for (;;) {
    const q = text.indexOf('"', i);
    if (q < 0) return text.length;
    // The quote is escaped when an odd number of backslashes precede it.
    let b = q - 1;
    while (b >= from && text.charCodeAt(b) === BACKSLASH) b--;
    if ((q - 1 - b) % 2 === 0) return q + 1;
    i = q + 1;
  }
}

/** Own members of every object in a parsed document, counted without recursion. */
export function countMembers(value: unknown): number {
  let members = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (const x of v as unknown[]) stack.push(x);
    } else {
      // Object.values sees an own "__proto__" member, as JSON.parse creates one.
      const values = Object.values(v as Record<string, unknown>);
      members += values.length;
      for (const x of values) stack.push(x);
    }
  }
  return members;
}
