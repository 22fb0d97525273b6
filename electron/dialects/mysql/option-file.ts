/**
 * MySQL option files (`~/.my.cnf`): where the CLI finds a password that is not in the URL, as the
 * mysql client does (DESIGN.md §7: passwords come from the environment or option files, never from
 * stratum.json).
 *
 * Decisions:
 * - Only the `[client]` group is read: it is the group every MySQL and MariaDB client program shares,
 *   so a user's existing `~/.my.cnf` works unchanged. Only `password` is used; the URL says the rest.
 * - Files read, later ones winning (the client's order, minus the system-wide files, which hold no
 *   personal passwords): `$MYSQL_HOME/my.cnf`, then `$HOME/.my.cnf`.
 * - Syntax as the server's `my_load_defaults`: `#`/`;` comment lines, `#` comments after unquoted
 *   values, `-` and `_` interchangeable in names, values quoted with `'` or `"`, the escapes `\b \t
 *   \n \r \\ \s`, `!include`/`!includedir` directives ignored. A bare `password` (the client's
 *   "prompt me") gives no password.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The option-file group the password is read from. */
export const OPTION_FILE_GROUP = 'client';

/** Where {@link readOptionFilePassword} looks: HOME and MYSQL_HOME of the (injected) environment. */
export type OptionFileEnv = Readonly<Record<string, string | undefined>>;

const ESCAPES: Readonly<Record<string, string>> = { b: '\b', t: '\t', n: '\n', r: '\r', '\\': '\\', s: ' ' };

/**
 * The options of `group` in the text of an option file, names normalised to lower case with `_`.
 * Options without a value map to null.
 */
export function parseOptionFile(text: string, group: string = OPTION_FILE_GROUP): Map<string, string | null> {
  const options = new Map<string, string | null>();
  let current: string | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';') || line.startsWith('!')) continue;
    const section = /^\[([^\]]*)\]/.exec(line);
    if (section !== null) {
      current = section[1]!.trim().toLowerCase();
      continue;
    }
    if (current !== group.toLowerCase()) continue;
    const eq = line.indexOf('=');
    const name = (eq < 0 ? stripComment(line) : line.slice(0, eq)).trim().toLowerCase().replaceAll('-', '_');
    if (name === '') continue;
    options.set(name, eq < 0 ? null : parseValue(line.slice(eq + 1)));
  }
  return options;
}

/**
 * The `[client]` password of the user's option files, or null when none sets one. Unreadable or
 * missing files are skipped, as the mysql client skips them.
 */
export function readOptionFilePassword(env: OptionFileEnv = process.env): string | null {
  let password: string | null = null;
  for (const file of optionFiles(env)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const value = parseOptionFile(text).get('password');
    if (value !== undefined && value !== null) password = value;
  }
  return password;
}

/** The option files read, in order (later ones win). */
export function optionFiles(env: OptionFileEnv = process.env): string[] {
  const files: string[] = [];
  const mysqlHome = env.MYSQL_HOME;
  if (mysqlHome !== undefined && mysqlHome !== '') files.push(join(mysqlHome, 'my.cnf'));
  const home = env.HOME ?? env.USERPROFILE ?? (env === process.env ? homedir() : undefined);
  if (home !== undefined && home !== '') files.push(join(home, '.my.cnf'));
  return files;
}

function stripComment(text: string): string {
  const hash = text.indexOf('#');
  return hash < 0 ? text : text.slice(0, hash);
}

/** An option value: quoted (up to the closing quote) or bare (up to a `#` comment), unescaped. */
function parseValue(rest: string): string {
  const value = rest.trim();
  const quote = value[0];
  if (quote === '"' || quote === "'") {
    let out = '';
    for (let i = 1; i < value.length; i++) {
      const c = value[i]!;
      if (c === quote) return out;
      if (c === '\\' && i + 1 < value.length) {
        const next = value[++i]!;
        out += ESCAPES[next] ?? (next === quote ? next : `\\${next}`);
        continue;
      }
      out += c;
    }
    return out; // An unclosed quote: the client takes the rest of the line.
  }
  return unescape(stripComment(value).trim());
}

function unescape(text: string): string {
  return text.replace(/\\(.)/g, (whole, c: string) => ESCAPES[c] ?? whole);
}
