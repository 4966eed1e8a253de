// A config file read with positions kept: jsonc-parser's tree lets any JSON
// pointer be mapped back to `line:col`, which every diagnostic needs (DESIGN §7).
import { readFile } from 'node:fs/promises';
import { getNodeValue, parseTree, printParseErrorCode } from 'jsonc-parser';
import type { Node, ParseError } from 'jsonc-parser';
import { split } from './pointer.ts';

export interface SourceFile {
  /** Absolute path. */
  readonly path: string;
  /** Path as shown to the user. */
  readonly display: string;
  readonly text: string;
  /** Parse tree; undefined when the file is empty or unparseable. */
  readonly root: Node | undefined;
  /** Plain JS value of the document (undefined with `root`). */
  readonly value: unknown;
  /** Syntax errors with their offsets; the file is unusable when non-empty. */
  readonly syntaxErrors: readonly { readonly offset: number; readonly message: string; readonly code: string }[];
  /** Offsets where each line starts, for offset → line:col. */
  readonly lineStarts: readonly number[];
}

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Reads and parses a file; `undefined` when it does not exist (every config file is optional). */
export async function readSource(path: string, display: string): Promise<SourceFile | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return parseSource(path, display, '', `cannot read file: ${(e as Error).message}`);
  }
  return parseSource(path, display, text);
}

export function parseSource(path: string, display: string, text: string, readError?: string): SourceFile {
  const lineStarts = computeLineStarts(text);
  if (readError !== undefined || text.trim() === '') {
    const error =
      readError === undefined
        ? { offset: 0, message: 'empty file: expected a JSON object', code: 'empty-file' }
        : { offset: 0, message: readError, code: 'unreadable' };
    return { path, display, text, root: undefined, value: undefined, syntaxErrors: [error], lineStarts };
  }
  const errors: ParseError[] = [];
  // The Phoenix scripts read these files with jq, so comments and trailing
  // commas would break them: accept exactly JSON.
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  if (errors.length > 0 || root === undefined) {
    const syntaxErrors = errors.map((e) => ({ offset: e.offset, message: describeParseError(e), code: 'json-syntax' }));
    return { path, display, text, root: undefined, value: undefined, syntaxErrors, lineStarts };
  }
  return { path, display, text, root, value: getNodeValue(root) as unknown, syntaxErrors: [], lineStarts };
}

function describeParseError(e: ParseError): string {
  // 'ValueExpected' → 'value expected'
  const words = printParseErrorCode(e.error)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return `JSON syntax error: ${words}`;
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
  return starts;
}

export function positionAt(file: SourceFile, offset: number): Position {
  const starts = file.lineStarts;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

/**
 * Offset of what `pointer` names: the value, or the property key when `key`
 * is set (unknown keys are reported at the key). A pointer that runs past
 * the document (a missing required key) stops at the deepest node that exists.
 */
export function offsetOf(file: SourceFile, pointer: string, key = false): number {
  let node = file.root;
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

function child(node: Node, segment: string): { value: Node; key?: Node } | undefined {
  if (node.type === 'object') {
    // Last one wins, as in JSON.parse and getNodeValue.
    let found: { value: Node; key: Node } | undefined;
    for (const prop of node.children ?? []) {
      const [k, v] = prop.children ?? [];
      if (k !== undefined && v !== undefined && k.value === segment) found = { value: v, key: k };
    }
    return found;
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
