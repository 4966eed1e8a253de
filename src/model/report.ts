// Collects diagnostics while loading, turning (file, pointer) into line:col
// at the moment of reporting, so checks only ever speak in JSON pointers.
import type { Diagnostic, Severity } from './diagnostic.ts';
import { locate, positionAt } from './source.ts';
import type { SourceFile } from './source.ts';

export interface Report {
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
  readonly pointer: string;
  /** Point at the property key rather than its value (unknown keys). */
  readonly atKey?: boolean;
}

export class Reporter {
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly strict: boolean) {}

  /** Reports into a parsed file. */
  at(file: SourceFile, report: Report): void {
    const { line, column } = locate(file, report.pointer, report.atKey === true);
    this.push({ ...report, file: file.display, line, column });
  }

  /** Reports what made a file unusable (JSON syntax, emptiness, depth, duplicate keys) at its offsets. */
  syntax(file: SourceFile): void {
    for (const e of file.syntaxErrors) {
      const { line, column } = positionAt(file, e.offset);
      this.push({
        severity: 'error',
        code: e.code,
        pointer: e.pointer ?? '',
        message: e.message,
        file: file.display,
        line,
        column,
      });
    }
  }

  /** Reports about something that is not a JSON file (a folder, a missing script). */
  atPath(display: string, report: Report): void {
    this.push({ ...report, file: display, line: 1, column: 1 });
  }

  private push(d: Report & { file: string; line: number; column: number }): void {
    // --strict: every warning is an error, so CI can refuse sloppy configs.
    const severity: Severity = this.strict ? 'error' : d.severity;
    this.diagnostics.push({
      severity,
      file: d.file,
      line: d.line,
      column: d.column,
      pointer: d.pointer,
      message: d.message,
      code: d.code,
    });
  }

  get hasErrors(): boolean {
    return this.diagnostics.some((d) => d.severity === 'error');
  }

  /** By file, then position; stable otherwise, so related messages stay in report order. */
  sorted(): Diagnostic[] {
    return this.diagnostics
      .map((d, i) => ({ d, i }))
      .sort(
        (a, b) =>
          (a.d.file < b.d.file ? -1 : a.d.file > b.d.file ? 1 : 0) ||
          a.d.line - b.d.line ||
          a.d.column - b.d.column ||
          a.i - b.i,
      )
      .map((x) => x.d);
  }
}

export function error(code: string, pointer: string, message: string): Report {
  return { severity: 'error', code, pointer, message };
}

export function warning(code: string, pointer: string, message: string): Report {
  return { severity: 'warning', code, pointer, message };
}
