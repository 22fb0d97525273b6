/**
 * The tables a statement touches, read from its text: what the dry run sizes up before a step runs
 * (a `CREATE INDEX` on a 40 GB table deserves a look). A lexical reading of the common DDL and DML
 * forms, not a parser: statements it does not recognise touch no table, never a wrong one.
 */

const NAME = String.raw`((?:"[^"]+"|\x60[^\x60]+\x60|\[[^\]]+\]|[A-Za-z_][A-Za-z0-9_$]*)(?:\s*\.\s*(?:"[^"]+"|\x60[^\x60]+\x60|\[[^\]]+\]|[A-Za-z_][A-Za-z0-9_$]*))?)`;

const PATTERNS: readonly RegExp[] = [
  new RegExp(
    String.raw`\bCREATE\s+(?:(?:GLOBAL|LOCAL)\s+)?(?:TEMP(?:ORARY)?\s+|UNLOGGED\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?${NAME}`,
    'gi',
  ),
  new RegExp(String.raw`\bALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?${NAME}`, 'gi'),
  new RegExp(String.raw`\bDROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?${NAME}`, 'gi'),
  new RegExp(String.raw`\bTRUNCATE\s+(?:TABLE\s+)?(?:ONLY\s+)?${NAME}`, 'gi'),
  new RegExp(String.raw`\bINSERT\s+(?:OR\s+\w+\s+|IGNORE\s+)?INTO\s+${NAME}`, 'gi'),
  new RegExp(String.raw`\bREPLACE\s+INTO\s+${NAME}`, 'gi'),
  new RegExp(String.raw`\bUPDATE\s+(?:ONLY\s+)?${NAME}\s+SET\b`, 'gi'),
  new RegExp(String.raw`\bDELETE\s+FROM\s+(?:ONLY\s+)?${NAME}`, 'gi'),
  new RegExp(String.raw`\bCREATE\s+(?:UNIQUE\s+)?INDEX\b[^;]*?\bON\s+(?:ONLY\s+)?${NAME}`, 'gi'),
  new RegExp(String.raw`\bRENAME\s+TABLE\s+${NAME}`, 'gi'),
  new RegExp(String.raw`\bDROP\s+INDEX\b[^;]*?\bON\s+${NAME}`, 'gi'),
];

/**
 * The tables `sql` touches, unquoted, in order of first mention, without duplicates. A
 * schema-qualified name keeps its schema (`audit.events`).
 *
 * @example
 * touchedTables('CREATE INDEX CONCURRENTLY i ON "Orders" (user_id)'); // ['Orders']
 */
export function touchedTables(sql: string): string[] {
  // Comments, string literals and dollar-quoted bodies (a function's code runs later, not now).
  const text = sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'|\$([A-Za-z_]*)\$[\s\S]*?\$\1\$/g, ' ');
  const found: { at: number; name: string }[] = [];
  for (const pattern of PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      found.push({ at: match.index, name: unquote(match[1]!) });
    }
  }
  found.sort((a, b) => a.at - b.at);
  return [...new Set(found.map((f) => f.name))];
}

function unquote(name: string): string {
  return name
    .split(/\s*\.\s*/)
    .map((part) => part.replace(/^["\x60[](.*)["\x60\]]$/, '$1'))
    .join('.');
}
