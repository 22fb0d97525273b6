/** Severity of a {@link Diagnostic}. */
export type Severity = 'error' | 'warning' | 'info';

/** A finding about a file (lint, unknown header key): not an error, shown as an editor marker. */
export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly file: string;
  /** 1-based line, when the finding has one. */
  readonly line?: number;
}
