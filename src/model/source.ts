// A config file read with positions kept: jsonc-parser's tree lets any JSON
// pointer be mapped back to `line:col`, which every diagnostic needs (DESIGN §7).
import { readFile } from 'node:fs/promises';
import { getLocation, parseTree, printParseErrorCode } from 'jsonc-parser';
import type { Node, ParseError } from 'jsonc-parser';
import { decodeConfig } from './parse/encoding.ts';
import { findDuplicateKeys } from './parse/duplicates.ts';
import { countMembers, MAX_DEPTH, scanStructure } from './parse/structure.ts';
import { fromPath, split } from './pointer.ts';

/** Something that makes a file unusable: bad JSON, bad encoding, too deep, duplicate keys. */
export interface SyntaxProblem {
  readonly offset: number;
  readonly message: string;
  readonly code: string;
  /** Where in the document, when it is known ('' otherwise). */
  readonly pointer?: string;
}

/**
 * A config file. The value comes from JSON.parse (fast); the position tree
 * is built only when a diagnostic needs a line:col, so a valid project never
 * pays for it (a 2,000-entry file must load in well under 100 ms).
 */
export interface SourceFile {
  /** Absolute path. */
  readonly path: string;
  /** Path as shown to the user. */
  readonly display: string;
  /** The text as read, without a leading byte order mark. */
  readonly text: string;
  /** Plain JS value of the document; undefined when there are syntax errors. */
  readonly value: unknown;
  /** Syntax errors (and duplicate keys, excess depth) with their offsets; the file is unusable when non-empty. */
  readonly syntaxErrors: readonly SyntaxProblem[];
  /** Parse tree with offsets, built on first call. */
  tree(): Node | undefined;
  /** Offsets where each line starts, built on first call. */
  lineStarts(): readonly number[];
}

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Reads and parses a file; `undefined` when it does not exist (every config file is optional). */
export async function readSource(path: string, display: string): Promise<SourceFile | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return parseSource(path, display, '', `cannot read file: ${(e as Error).message}`);
  }
  const decoded = decodeConfig(bytes);
  return decoded.ok
    ? parseSource(path, display, decoded.value)
    : parseSource(path, display, '', decoded.error);
}

export function parseSource(
  path: string,
  display: string,
  raw: string,
  readError?: string,
): SourceFile {
  // A UTF-8 byte order mark (Windows editors write one) is no part of the
  // JSON; jq skips it too. Dropping it keeps line 1's columns as editors count them.
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  let root: Node | undefined | null = null;
  let starts: number[] | undefined;
  const make = (value: unknown, syntaxErrors: readonly SyntaxProblem[]): SourceFile => ({
    path,
    display,
    text,
    value,
    syntaxErrors,
    tree() {
      // Comments and trailing commas are errors: the Phoenix scripts read
      // these files with jq, which accepts exactly JSON.
      if (root === null)
        root = parseTree(text, [], { disallowComments: true, allowTrailingComma: false });
      return root;
    },
    lineStarts() {
      starts ??= computeLineStarts(text);
      return starts;
    },
  });
  if (readError !== undefined)
    return make(undefined, [{ offset: 0, message: readError, code: 'unreadable' }]);
  // Not text.trim(): that copies the whole file to learn it is not empty.
  if (!/\S/.test(text))
    return make(undefined, [
      { offset: 0, message: 'empty file: expected a JSON object', code: 'empty-file' },
    ]);
  // Depth first: every parser after this one recurses.
  const structure = scanStructure(text);
  if (structure.tooDeepAt !== undefined)
    return make(undefined, [tooDeep(text, structure.tooDeepAt)]);
  try {
    const value = JSON.parse(text) as unknown;
    // As many members parsed as written: no key was given twice (the common,
    // cheap case). Otherwise find each duplicate, with the positions of both.
    if (countMembers(value) === structure.members) return make(value, []);
    const duplicates = findDuplicateKeys(text);
    if (duplicates.length === 0) return make(value, []);
    starts = computeLineStarts(text);
    const lines = starts;
    return make(
      undefined,
      duplicates.map((d) => {
        const first = lineAt(lines, d.firstOffset);
        const later = lineAt(lines, d.offset);
        const where = first === later ? `on line ${first}` : `on lines ${first} and ${later}`;
        return {
          offset: d.offset,
          pointer: d.pointer,
          code: 'duplicate-key',
          message: `key ${JSON.stringify(d.key)} is given twice, ${where}: JSON readers keep only the last, so the first would be silently lost`,
        };
      }),
    );
  } catch (e) {
    // Only now pay for the tolerant parser, for positions of every error.
    const errors: ParseError[] = [];
    parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
    // One error per position: a trailing comma yields two at one offset.
    const problems = errors
      .filter((pe, i) => i === 0 || errors[i - 1]!.offset !== pe.offset)
      .map((pe) => ({ offset: pe.offset, message: describeParseError(pe), code: 'json-syntax' }));
    if (problems.length === 0)
      problems.push({
        offset: 0,
        message: `JSON syntax error: ${(e as Error).message}`,
        code: 'json-syntax',
      });
    return make(undefined, problems);
  }
}

/** The too-deep error, located at the bracket that opens one level too many. */
function tooDeep(text: string, offset: number): SyntaxProblem {
  // The text up to that bracket nests at most MAX_DEPTH + 1 levels, so
  // jsonc-parser can walk it to name the place.
  const path = getLocation(text.slice(0, offset + 1), offset).path;
  return {
    offset,
    pointer: fromPath(path),
    code: 'too-deep',
    message: `nested deeper than ${MAX_DEPTH} levels: phx reads configs at most ${MAX_DEPTH} levels deep`,
  };
}

function describeParseError(e: ParseError): string {
  // 'ValueExpected' → 'value expected'
  const words = printParseErrorCode(e.error)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return `JSON syntax error: ${words}`;
}

/** Offsets where each line starts; a line ends at \n, \r\n or a lone \r. */
export function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
  return starts;
}

export function positionAt(file: SourceFile, offset: number): Position {
  const starts = file.lineStarts();
  const line = lineAt(starts, offset);
  return { line, column: offset - starts[line - 1]! + 1 };
}

/** 1-based line of an offset, by binary search over the line starts. */
function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/**
 * Offset of what `pointer` names: the value, or the property key when `key`
 * is set (unknown keys are reported at the key). A pointer that runs past
 * the document (a missing required key) stops at the deepest node that exists.
 */
export function offsetOf(file: SourceFile, pointer: string, key = false): number {
  let node = file.tree();
  if (node === undefined) return 0;
  let keyNode: Node | undefined;
  for (const segment of split(pointer)) {
    const next = child(node, segment);
    if (next === undefined) return node.offset;
    node = next.value;
    keyNode = next.key;
  }
  return key && keyNode !== undefined ? keyNode.offset : node.offset;
}

// Property lookup tables, built on first use: a pointer lookup per entry
// must not scan all entries (2,000 CTs would make that quadratic).
const propertyIndex = new WeakMap<Node, Map<string, { value: Node; key: Node }>>();

function child(node: Node, segment: string): { value: Node; key?: Node } | undefined {
  if (node.type === 'object') {
    let index = propertyIndex.get(node);
    if (index === undefined) {
      index = new Map();
      // Last one wins, as in JSON.parse and getNodeValue.
      for (const prop of node.children ?? []) {
        const [k, v] = prop.children ?? [];
        if (k !== undefined && v !== undefined) index.set(String(k.value), { value: v, key: k });
      }
      propertyIndex.set(node, index);
    }
    return index.get(segment);
  }
  if (node.type === 'array' && /^(0|[1-9][0-9]*)$/.test(segment)) {
    const v = node.children?.[Number(segment)];
    return v === undefined ? undefined : { value: v };
  }
  return undefined;
}

export function locate(file: SourceFile, pointer: string, key = false): Position {
  return positionAt(file, offsetOf(file, pointer, key));
}
