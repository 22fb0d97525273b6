/**
 * The PostgreSQL password file (`~/.pgpass`, or the file `PGPASSFILE` names), read the way libpq
 * reads it (https://www.postgresql.org/docs/current/libpq-pgpass.html):
 * - one `hostname:port:database:username:password` per line; `#` lines are comments;
 * - a field that is exactly `*` matches anything; `\:` and `\\` escape a colon and a backslash;
 * - the first matching line wins; a socket connection (host starting with `/`) matches `localhost`;
 * - the file is ignored when it is not a regular file or when group or others may read or write it
 *   (mode & 0o077), as libpq does on Unix: a password file others can read is treated as
 *   compromised. {@link readPgpassPassword} then says so, so the error can tell the user to
 *   `chmod 600` it. (On Windows there are no such modes; the check is skipped, like libpq.)
 *
 * Decision: the file is read only when the server asks for a password (connection.ts passes a
 * password callback to pg), like libpq, and `PGPASSWORD` is not consulted: the dialect never reads
 * the process environment; the environment comes in through `ConnectionTarget.env`.
 */
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** One line of a password file; `null` fields are `*` wildcards. */
export interface PgpassEntry {
  readonly host: string | null;
  readonly port: string | null;
  readonly database: string | null;
  readonly user: string | null;
  readonly password: string;
}

/** What a connection is matched on. */
export interface PgpassQuery {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
}

/** The outcome of {@link readPgpassPassword}. */
export interface PgpassResult {
  /** The password file consulted (whether or not it exists). */
  readonly file: string;
  /** The password of the first matching line; null when there is none. */
  readonly password: string | null;
  /** Why the file was not used, when it exists but was ignored (permissions, not a file, unreadable). */
  readonly ignored: string | null;
}

/** Splits a line on unescaped colons, keeping escapes in the parts (they are removed later). */
function splitFields(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && i + 1 < line.length) {
      current += c + line[i + 1]!;
      i++;
    } else if (c === ':') {
      fields.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  fields.push(current);
  return fields;
}

/** Removes backslash escapes: `\:` → `:`, `\\` → `\`, `\x` → `x`. */
function unescape(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

/**
 * Parses the text of a password file. Comment lines, blank lines and lines with fewer than five
 * fields are skipped; everything after the fourth unescaped colon is the password.
 */
export function parsePgpass(text: string): PgpassEntry[] {
  const entries: PgpassEntry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '' || line.startsWith('#')) continue;
    const fields = splitFields(line);
    if (fields.length < 5) continue;
    const [host, port, database, user] = fields.slice(0, 4).map((f) => (f === '*' ? null : unescape(f)));
    entries.push({
      host: host ?? null,
      port: port ?? null,
      database: database ?? null,
      user: user ?? null,
      password: unescape(fields.slice(4).join(':')),
    });
  }
  return entries;
}

/** The password of the first entry matching `query`, or null. */
export function matchPgpass(entries: readonly PgpassEntry[], query: PgpassQuery): string | null {
  const host = query.host === '' || query.host.startsWith('/') ? 'localhost' : query.host;
  const wanted = [host, String(query.port), query.database, query.user];
  for (const entry of entries) {
    const fields = [entry.host, entry.port, entry.database, entry.user];
    if (fields.every((field, i) => field === null || field === wanted[i])) return entry.password;
  }
  return null;
}

/** The password file to use: `PGPASSFILE`, else `~/.pgpass` (HOME from `env`, else the OS). */
export function pgpassPath(env: Readonly<Record<string, string | undefined>>): string {
  const named = env.PGPASSFILE;
  if (named !== undefined && named !== '') return named;
  const home = env.HOME !== undefined && env.HOME !== '' ? env.HOME : homedir();
  return join(home, '.pgpass');
}

/**
 * Looks `query` up in the password file (see the module comment). Never throws: a missing file
 * means no password, and an unusable one is reported through `ignored`.
 */
export function readPgpassPassword(
  query: PgpassQuery,
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform = process.platform,
): PgpassResult {
  const file = pgpassPath(env);
  const none = (ignored: string | null): PgpassResult => ({ file, password: null, ignored });
  try {
    const stat = statSync(file, { throwIfNoEntry: false });
    if (stat === undefined) return none(null);
    if (!stat.isFile()) return none(`${file} is not a regular file`);
    if (platform !== 'win32' && (stat.mode & 0o077) !== 0) {
      const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
      return none(
        `${file} has group or world access (mode ${mode}) and was ignored, as libpq does; ` +
          `run \`chmod 600 ${file}\``,
      );
    }
    return { file, password: matchPgpass(parsePgpass(readFileSync(file, 'utf8')), query), ignored: null };
  } catch (error) {
    return none(`${file} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}
