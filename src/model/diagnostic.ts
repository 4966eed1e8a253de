// A diagnostic points into a user's file: file, line, column and JSON pointer.
export type Severity = 'error' | 'warning';

export interface Diagnostic {
  readonly severity: Severity;
  /** File path as shown to the user. */
  readonly file: string;
  /** 1-based line and column of the value the pointer names. */
  readonly line: number;
  readonly column: number;
  /** JSON pointer into the file ('' for the whole document). */
  readonly pointer: string;
  readonly message: string;
  /** Stable machine code, e.g. 'unknown-key', 'clone-cycle'. */
  readonly code: string;
}
