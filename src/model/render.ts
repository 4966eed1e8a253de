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

export function renderHeader(d: Diagnostic): string {
  const pointer = d.pointer === '' ? '' : `${d.pointer}: `;
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${pointer}${d.message}`;
}

export function renderDiagnostic(d: Diagnostic, sourceText?: string): string {
  const header = renderHeader(d);
  if (sourceText === undefined) return header;
  const raw = sourceText.split(/\r\n|\r|\n/)[d.line - 1];
  // The caret stays under the key or the start of the value: masking only shortens what follows.
  const line = raw === undefined ? undefined : maskSecretsInLine(raw);
  if (line === undefined || line.trim() === '') return header;
  const number = String(d.line);
  const gutter = ' '.repeat(number.length);
  const caretPad = line.slice(0, Math.max(0, d.column - 1)).replace(/[^\t]/g, ' ');
  return `${header}\n ${number} | ${line}\n ${gutter} | ${caretPad}^`;
}
