/**
 * A small SQL tokenizer for read-only highlighting (the Monaco editor replaces it for editing):
 * comments, strings, dollar-quoted bodies, numbers and keywords. Linear, never throws.
 */
export type SqlTokenKind = 'keyword' | 'string' | 'comment' | 'number' | 'text';

export interface SqlToken {
  readonly kind: SqlTokenKind;
  readonly text: string;
}

const KEYWORDS = new Set(
  (
    'add alter and as asc begin by cascade case check column commit concurrently constraint create ' +
    'default delete delimiter desc distinct drop each else end exists for foreign from function if in ' +
    'index insert into is key not null on or order primary procedure references rename replace ' +
    'returns rollback select set table then to transaction trigger unique update using values view ' +
    'when where with after before row language returns declare integer text varchar int bigint ' +
    'boolean timestamp numeric real serial'
  ).split(' '),
);

const PATTERN =
  /(--[^\n]*|\/\*[\s\S]*?(?:\*\/|$))|('(?:[^']|'')*'?|"(?:[^"]|"")*"?|`[^`]*`?)|(\$([A-Za-z_]*)\$[\s\S]*?(?:\$\4\$|$))|(\b\d+(?:\.\d+)?\b)|([A-Za-z_][A-Za-z0-9_]*)/g;

/** Splits `sql` into tokens whose texts concatenate back to `sql`. */
export function tokenizeSql(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let last = 0;
  for (const match of sql.matchAll(PATTERN)) {
    const start = match.index;
    if (start > last) tokens.push({ kind: 'text', text: sql.slice(last, start) });
    // Group 4 is a dollar quote's tag: the body ends only at the same tag.
    const [text, comment, string, dollar, , number, word] = match;
    let kind: SqlTokenKind = 'text';
    if (comment !== undefined) kind = 'comment';
    else if (string !== undefined || dollar !== undefined) kind = 'string';
    else if (number !== undefined) kind = 'number';
    else if (word !== undefined && KEYWORDS.has(word.toLowerCase())) kind = 'keyword';
    tokens.push({ kind, text });
    last = start + text.length;
  }
  if (last < sql.length) tokens.push({ kind: 'text', text: sql.slice(last) });
  return tokens;
}
