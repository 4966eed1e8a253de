// The one text format of a diagnostic (DESIGN §7), gcc/rustc style:
//
//   configs/phoenix_lxc_configs.json:41:9: error: /lxc_configs/950/clone_from_ctid: CT 999 is not defined
//      41 |         "clone_from_ctid": "999",
//         |                            ^
//
// Header: `file:line:col: error|warning: pointer: message`; the pointer part
// is left out when it is '' (the whole document, e.g. a JSON syntax error).
// With the file's text, the source line follows, then a caret under the
// column. Tabs in the line are kept in the caret line, so it stays aligned.
import type { Diagnostic } from './diagnostic.ts';
import { maskSecretsInLine } from './secret-keys.ts';
import { computeLineStarts } from './source.ts';

/** A list longer than this is cut, errors first, and ends in "… and N more". */
export const SHOWN_DIAGNOSTICS = 50;

/** Source lines wider than this are shown as a window around the column. */
const WIDE_LINE = 160;

export function renderHeader(d: Diagnostic): string {
  const pointer = d.pointer === '' ? '' : `${d.pointer}: `;
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${pointer}${d.message}`;
}

export function renderDiagnostic(d: Diagnostic, sourceText?: string): string {
  const header = renderHeader(d);
  if (sourceText === undefined) return header;
  const raw = sourceLine(sourceText, d.line);
  // The caret stays under the key or the start of the value: masking only shortens what follows.
  const masked = raw === undefined ? undefined : maskSecretsInLine(raw);
  if (masked === undefined || masked.trim() === '') return header;
  const { line, caretAt } = clip(masked, d.column - 1);
  const number = String(d.line);
  const gutter = ' '.repeat(number.length);
  const caretPad = line.slice(0, Math.max(0, caretAt)).replace(/[^\t]/g, ' ');
  return `${header}\n ${number} | ${line}\n ${gutter} | ${caretPad}^`;
}

/**
 * Renders a whole report: each diagnostic (with its source line when
 * `sources` has the file's text), at most `limit` of them, then one line
 * saying how many were left out. Errors are shown before warnings are
 * allowed in; what is shown keeps its order.
 */
export function renderDiagnostics(
  diagnostics: readonly Diagnostic[],
  sources: ReadonlyMap<string, string>,
  limit = SHOWN_DIAGNOSTICS,
): string[] {
  const shown = pick(diagnostics, limit);
  const out = shown.map((d) => renderDiagnostic(d, sources.get(d.file)));
  const left = diagnostics.length - shown.length;
  if (left > 0) out.push(`… and ${more(diagnostics, shown, left)}`);
  return out;
}

/** "4706 more errors", "3 more warnings", "10 more (7 errors, 3 warnings)". */
function more(all: readonly Diagnostic[], shown: readonly Diagnostic[], left: number): string {
  const errorsOf = (list: readonly Diagnostic[]): number =>
    list.filter((d) => d.severity === 'error').length;
  const errors = errorsOf(all) - errorsOf(shown);
  const warnings = left - errors;
  if (warnings === 0) return `${left} more ${errors === 1 ? 'error' : 'errors'}`;
  if (errors === 0) return `${left} more ${warnings === 1 ? 'warning' : 'warnings'}`;
  return `${left} more (${plural(errors, 'error', 'errors')}, ${plural(warnings, 'warning', 'warnings')})`;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The first `limit` errors, then warnings while there is room, in their original order. */
function pick(diagnostics: readonly Diagnostic[], limit: number): readonly Diagnostic[] {
  if (diagnostics.length <= limit) return diagnostics;
  const keep = new Set<Diagnostic>();
  for (const severity of ['error', 'warning'] as const) {
    for (const d of diagnostics) {
      if (keep.size >= limit) break;
      if (d.severity === severity) keep.add(d);
    }
  }
  return diagnostics.filter((d) => keep.has(d));
}

// Line starts of the text rendered from last. A file's diagnostics come in a
// row, and splitting the whole text again for each of them made 4,756
// diagnostics of one 5,000-entry file take minutes (quadratic).
let lastText: string | undefined;
let lastStarts: readonly number[] = [];

function sourceLine(text: string, line: number): string | undefined {
  if (text !== lastText) {
    lastText = text;
    lastStarts = computeLineStarts(text);
  }
  const start = lastStarts[line - 1];
  if (start === undefined) return undefined;
  const end = lastStarts[line] ?? text.length;
  return text.slice(start, end).replace(/\r?\n$|\r$/, '');
}

/** A window of a very wide line (a minified file) around the caret, marked with "…". */
function clip(line: string, caretAt: number): { line: string; caretAt: number } {
  if (line.length <= WIDE_LINE) return { line, caretAt };
  const start = Math.max(0, Math.min(caretAt - 40, line.length - WIDE_LINE));
  const end = Math.min(line.length, start + WIDE_LINE);
  const head = start > 0 ? '…' : '';
  const tail = end < line.length ? '…' : '';
  return { line: head + line.slice(start, end) + tail, caretAt: caretAt - start + head.length };
}
