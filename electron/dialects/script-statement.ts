/**
 * Helpers for `renderScriptStatement` of every dialect: a statement in a script run by the
 * dialect's own client (sqlite3, psql, mysql/mariadb).
 */

/**
 * Appends `terminator` to `sql`. When the last line has a `--` comment the terminator goes on a
 * line of its own, or the client would read it as part of the comment and run nothing.
 */
export function terminateStatement(sql: string, terminator: string): string {
  const body = sql.trimEnd();
  const lastLine = body.slice(body.lastIndexOf('\n') + 1);
  return lastLine.includes('--') || lastLine.includes('#') ? `${body}\n${terminator}` : body + terminator;
}
