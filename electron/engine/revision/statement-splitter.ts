import type { Section, SplitterSyntax, Statement } from './revision.ts';

const LF = 0x0a;
const QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;
const BACKTICK = 0x60;
const BACKSLASH = 0x5c;
const DASH = 0x2d;
const SLASH = 0x2f;
const STAR = 0x2a;
const HASH = 0x23;
const DOLLAR = 0x24;

/** A MySQL client `DELIMITER xx` line; tried (sticky) at the start of each line. */
const DELIMITER_LINE = /[ \t]*delimiter[ \t]+(\S+)[^\n]*/iy;
/** A PostgreSQL dollar-quote opener: `$$` or `$tag$` (a tag never starts with a digit, so `$1` is not one). */
const DOLLAR_TAG = /\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/y;
/** After `CREATE [OR REPLACE] [TEMP] [DEFINER = x]`, the objects whose `BEGIN … END` body holds semicolons. */
const BLOCK_OBJECTS = new Set(['TRIGGER', 'PROCEDURE', 'FUNCTION', 'EVENT']);
/** After `CREATE`, objects that never have a `BEGIN … END` body: no block tracking for them. */
const PLAIN_OBJECTS = new Set([
  'TABLE',
  'VIEW',
  'INDEX',
  'UNIQUE',
  'SCHEMA',
  'DATABASE',
  'SEQUENCE',
  'TYPE',
  'EXTENSION',
  'DOMAIN',
  'ROLE',
  'USER',
  'MATERIALIZED',
  'VIRTUAL',
  'POLICY',
]);
/** How many words after `CREATE` may come before the object keyword (`CREATE OR REPLACE DEFINER=a@b TRIGGER`). */
const MAX_CREATE_PREFIX_WORDS = 8;
/** `END IF`, `END LOOP`, … close constructs the splitter does not track (MySQL compound statements). */
const UNTRACKED_END_SUFFIXES = new Set(['IF', 'LOOP', 'WHILE', 'REPEAT']);

/**
 * The statement splitter: cuts a section into SQL statements on `;` (or the current MySQL
 * `DELIMITER`), never inside single-quoted strings (`''` escapes, `\` escapes when
 * `syntax.backslashEscapes`, and in PostgreSQL `E'…'` when `syntax.dollarQuotes`), double-quoted identifiers, backtick
 * identifiers (`syntax.backtickIdentifiers`), `--` and `/* … *\/` comments (nested when
 * `syntax.dollarQuotes`, as in PostgreSQL), dollar quotes (`syntax.dollarQuotes`) or the
 * `BEGIN … END` body of a `CREATE TRIGGER` (`syntax.beginEndBlocks`; `CASE … END` inside is tracked).
 *
 * Each {@link Statement} has its text trimmed and without terminator, the file line of its first
 * character that is neither whitespace nor comment, and its 0-based index. Empty and comment-only
 * fragments are dropped. Unterminated strings, comments and dollar quotes run to the end of the
 * section and stay in the last statement, for the database to report. Never throws; linear time.
 *
 * Decisions (beyond DESIGN.md §2):
 * - `syntax.beginEndBlocks` also covers `CREATE PROCEDURE | FUNCTION | EVENT` bodies, and MySQL's
 *   `END IF | LOOP | WHILE | REPEAT | CASE` closers, so MySQL routines split right without `DELIMITER`.
 * - With `syntax.delimiterDirective` (the MySQL client), `#` starts a comment, `--` is a comment
 *   only when followed by whitespace, and `/*! … *\/` / `/*+ … *\/` comments are content (they run).
 * - A `DELIMITER` line ends a pending unterminated statement; the line itself is no statement.
 *
 * @example
 * splitStatements({ text: "INSERT INTO t VALUES ('a;b');\nSELECT 1;", line: 10 }, syntax);
 * // [{ sql: "INSERT INTO t VALUES ('a;b')", line: 10, index: 0 }, { sql: 'SELECT 1', line: 11, index: 1 }]
 */
export function splitStatements(section: Section, syntax: SplitterSyntax): Statement[] {
  const text = section.text;
  const length = text.length;
  const mysqlClient = syntax.delimiterDirective;
  const statements: Statement[] = [];

  let terminator = ';';
  let contentStart = -1;
  // Block tracking for the current statement.
  let words = 0;
  let createState: 'none' | 'undecided' | 'block' | 'plain' = 'none';
  const blocks: ('BEGIN' | 'CASE')[] = [];
  // Line bookkeeping: `newlinesBefore` counts LFs before `newlineCursor` (offsets only grow).
  let newlineCursor = 0;
  let newlinesBefore = 0;

  const lineOf = (offset: number): number => {
    for (; newlineCursor < offset; newlineCursor++) {
      if (text.charCodeAt(newlineCursor) === LF) newlinesBefore++;
    }
    return section.line + newlinesBefore;
  };
  const emit = (end: number): void => {
    if (contentStart >= 0) {
      const sql = text.slice(contentStart, end).trim();
      if (sql !== '') statements.push({ sql, line: lineOf(contentStart), index: statements.length });
    }
    contentStart = -1;
    words = 0;
    createState = 'none';
    blocks.length = 0;
  };
  const mark = (at: number): void => {
    if (contentStart < 0) contentStart = at;
  };

  let i = 0;
  while (i < length) {
    const c = text.charCodeAt(i);

    if (mysqlClient && (i === 0 || text.charCodeAt(i - 1) === LF)) {
      DELIMITER_LINE.lastIndex = i;
      const directive = DELIMITER_LINE.exec(text);
      if (directive !== null) {
        emit(i);
        terminator = directive[1] ?? ';';
        i = DELIMITER_LINE.lastIndex;
        continue;
      }
    }

    if (blocks.length === 0 && text.startsWith(terminator, i)) {
      emit(i);
      i += terminator.length;
      continue;
    }

    if (c === QUOTE || c === DOUBLE_QUOTE) {
      mark(i);
      i = skipQuoted(text, i + 1, c, syntax.backslashEscapes);
      continue;
    }
    if (c === BACKTICK && syntax.backtickIdentifiers) {
      mark(i);
      i = skipQuoted(text, i + 1, c, false);
      continue;
    }
    if (
      (c === DASH && text.charCodeAt(i + 1) === DASH && (!mysqlClient || !isNonSpaceAt(text, i + 2))) ||
      (c === HASH && mysqlClient)
    ) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? length : end;
      continue;
    }
    if (c === SLASH && text.charCodeAt(i + 1) === STAR) {
      const executable = mysqlClient && (text[i + 2] === '!' || text[i + 2] === '+');
      const end = skipBlockComment(text, i, syntax.dollarQuotes);
      // Executable MySQL comments run; an unterminated comment is kept for the database to report.
      if (executable || end < 0) mark(i);
      i = end < 0 ? length : end;
      continue;
    }
    if (c === DOLLAR && syntax.dollarQuotes && !isWordCharAt(text, i - 1)) {
      DOLLAR_TAG.lastIndex = i;
      const tag = DOLLAR_TAG.exec(text);
      if (tag !== null) {
        mark(i);
        const close = text.indexOf(tag[0], DOLLAR_TAG.lastIndex);
        i = close < 0 ? length : close + tag[0].length;
        continue;
      }
    }
    if (isSpace(c)) {
      i++;
      continue;
    }

    mark(i);
    if (!isWordStart(c) || isWordCharAt(text, i - 1)) {
      i++;
      continue;
    }
    let end = i + 1;
    // A custom delimiter may touch a word (`END$$`): the mysql client cuts there too.
    while (
      end < length &&
      isWordCharAt(text, end) &&
      (terminator === ';' || !text.startsWith(terminator, end))
    ) {
      end++;
    }
    const word = text.slice(i, end).toUpperCase();
    if (word === 'E' && syntax.dollarQuotes && text.charCodeAt(end) === QUOTE) {
      // PostgreSQL escape string: backslash escapes whatever the dialect's default.
      i = skipQuoted(text, end + 1, QUOTE, true);
      continue;
    }
    i = end;
    if (!syntax.beginEndBlocks || terminator !== ';') continue;

    if (words === 0) createState = word === 'CREATE' ? 'undecided' : 'none';
    else if (createState === 'undecided') {
      if (BLOCK_OBJECTS.has(word)) createState = 'block';
      else if (PLAIN_OBJECTS.has(word) || words > MAX_CREATE_PREFIX_WORDS) createState = 'plain';
    }
    words++;
    if (createState !== 'block') continue;

    if (word === 'BEGIN' || word === 'CASE') blocks.push(word);
    else if (word === 'END') {
      const suffix = readWordAfter(text, i);
      if (suffix !== null && UNTRACKED_END_SUFFIXES.has(suffix.word)) {
        i = suffix.end;
        continue;
      }
      blocks.pop();
      if (suffix !== null && suffix.word === 'CASE') i = suffix.end;
    }
  }
  emit(length);
  return statements;
}

/** The offset just past the closing quote (doubled quotes escape), or the end of the text. */
function skipQuoted(text: string, from: number, quote: number, backslashEscapes: boolean): number {
  const length = text.length;
  let i = from;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH && backslashEscapes) {
      i += 2;
    } else if (c === quote) {
      if (text.charCodeAt(i + 1) !== quote) return i + 1;
      i += 2;
    } else {
      i++;
    }
  }
  return length;
}

/** The offset just past the comment that starts at `from` (`/*`), or -1 when it never closes. */
function skipBlockComment(text: string, from: number, nested: boolean): number {
  if (!nested) {
    const close = text.indexOf('*/', from + 2);
    return close < 0 ? -1 : close + 2;
  }
  let depth = 1;
  let i = from + 2;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === STAR && text.charCodeAt(i + 1) === SLASH) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else if (c === SLASH && text.charCodeAt(i + 1) === STAR) {
      depth++;
      i += 2;
    } else {
      i++;
    }
  }
  return -1;
}

/** The upper-cased word after `from` and blanks on the same or following lines, if any. */
function readWordAfter(text: string, from: number): { word: string; end: number } | null {
  let i = from;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  if (i >= text.length || !isWordStart(text.charCodeAt(i))) return null;
  let end = i + 1;
  while (end < text.length && isWordCharAt(text, end)) end++;
  return { word: text.slice(i, end).toUpperCase(), end };
}

function isWordStart(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

/** Whether the character at `i` can be part of an identifier (`$` and non-ASCII included). */
function isWordCharAt(text: string, i: number): boolean {
  if (i < 0 || i >= text.length) return false;
  const c = text.charCodeAt(i);
  return isWordStart(c) || (c >= 0x30 && c <= 0x39) || c === DOLLAR || (c >= 0x80 && !isSpace(c));
}

function isNonSpaceAt(text: string, i: number): boolean {
  return i < text.length && !isSpace(text.charCodeAt(i));
}

/** The characters `String.prototype.trim` removes. */
function isSpace(c: number): boolean {
  return (
    c === 0x20 ||
    (c >= 0x09 && c <= 0x0d) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}
