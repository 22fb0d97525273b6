import type { Dialect } from '../../../shared/model/dialect.ts';
import type { Phase, TransactionMode } from '../../../shared/model/revision-node.ts';

/** The body of one `-- migrate:up` / `-- migrate:down` section. */
export interface Section {
  /** The text between this section marker and the next (or the end of the file). */
  readonly text: string;
  /** 1-based file line of the first line of `text`. */
  readonly line: number;
}

/** The plain section plus per-dialect overrides (`-- migrate:up postgres`). */
export interface SectionSet {
  readonly plain: Section | null;
  readonly byDialect: Readonly<Partial<Record<Dialect, Section>>>;
}

/** One parsed revision file (DESIGN.md §2). Identity comes from the header, not the file name. */
export interface Revision {
  /** 12 lowercase hex characters. */
  readonly id: string;
  /** Parent revisions (`parents:` header); empty for a base, two or more for a merge. */
  readonly downRevisions: readonly string[];
  readonly dependsOn: readonly string[];
  readonly branchLabels: readonly string[];
  readonly message: string;
  /** ISO-8601 timestamp from the `created:` header, or null when absent. */
  readonly created: string | null;
  readonly transaction: TransactionMode;
  readonly phase: Phase;
  /** Project-relative path, with `/` separators. */
  readonly file: string;
  readonly up: SectionSet;
  readonly down: SectionSet;
}

/** One SQL statement cut from a section, with its place in the file. */
export interface Statement {
  /** The statement text without its terminator. */
  readonly sql: string;
  /** 1-based file line where the statement starts. */
  readonly line: number;
  /** 0-based index of the statement within its section. */
  readonly index: number;
}

/** What a dialect's SQL looks like, for the statement splitter. */
export interface SplitterSyntax {
  /** PostgreSQL `$tag$ … $tag$` strings. */
  readonly dollarQuotes: boolean;
  /** MySQL client `DELIMITER //` directives. */
  readonly delimiterDirective: boolean;
  /** SQLite `CREATE TRIGGER … BEGIN … END` bodies keep their inner semicolons. */
  readonly beginEndBlocks: boolean;
  /** MySQL `\'` escapes inside string literals. */
  readonly backslashEscapes: boolean;
  /** MySQL/SQLite `` `identifier` `` quoting. */
  readonly backtickIdentifiers: boolean;
}

/** The section that applies to `dialect`: its override if present, else the plain one. */
export function sectionFor(set: SectionSet, dialect: Dialect): Section | null {
  return set.byDialect[dialect] ?? set.plain;
}
