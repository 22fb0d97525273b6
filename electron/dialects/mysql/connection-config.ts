/**
 * Turns a `mysql://` or `mariadb://` URL into mysql2 connection options (DESIGN.md §1).
 *
 * `mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE?ssl=…&ssl-ca=PATH&connect_timeout=SECONDS`
 * - The password comes from the URL, else from the user's option file (`~/.my.cnf` `[client]`).
 * - `ssl` follows the mysql client's `--ssl-mode`: `true`/`required` encrypts without checking the
 *   certificate, `verify_ca` checks it against `ssl-ca` (or the system's CAs), `verify_identity`
 *   also checks the host name; `false`/`disabled` turns TLS off. `ssl-ca` alone means `verify_ca`,
 *   as with the client.
 * - Unknown query parameters are refused, so a typo (`sslmode=`) does not silently connect in clear.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { hostname, userInfo } from 'node:os';
import type { ConnectionOptions, SslOptions } from 'mysql2/promise';
import { EngineError } from '../../engine/engine-error.ts';
import type { ConnectionTarget } from '../../engine/ports.ts';
import { readOptionFilePassword } from './option-file.ts';

/** The default port of MySQL and MariaDB. */
export const MYSQL_DEFAULT_PORT = 3306;
/** Default `connect_timeout`, in seconds. */
export const DEFAULT_CONNECT_TIMEOUT_S = 10;
/** What `program_name` says in `performance_schema.session_connect_attrs`, for DBAs. */
export const PROGRAM_NAME = 'stratum';

/** The `ssl` modes of a URL (the mysql client's `--ssl-mode`, lower case). */
export type MysqlSslMode = 'disabled' | 'required' | 'verify_ca' | 'verify_identity';

const SSL_MODES: Readonly<Record<string, MysqlSslMode>> = {
  true: 'required',
  required: 'required',
  verify_ca: 'verify_ca',
  verify_identity: 'verify_identity',
  false: 'disabled',
  disabled: 'disabled',
};

const PARAMETERS = ['ssl', 'ssl-ca', 'connect_timeout'] as const;

/** A parsed MySQL URL: what to connect to, and how to name it in messages. */
export interface MysqlConnectionConfig {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  readonly sslMode: MysqlSslMode;
  readonly connectTimeoutMs: number;
  /** The URL without its password, for messages. */
  readonly description: string;
  /** Whether a password was found (URL or option file); the password itself stays in `options`. */
  readonly hasPassword: boolean;
  /** The options for `mysql2.createConnection`. */
  readonly options: ConnectionOptions;
}

function invalid(url: string, reason: string): EngineError<'URL_INVALID'> {
  return new EngineError(
    'URL_INVALID',
    `Invalid MySQL URL ${url}: ${reason} Example: mysql://user@127.0.0.1:3306/app?ssl=required`,
    { url, reason },
  );
}

/** The URL with any password replaced by `***`. */
export function describeMysqlUrl(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password !== '') copy.password = '***';
  return copy.href;
}

/**
 * Parses `target.url` into connection options.
 *
 * @throws EngineError `URL_INVALID` for a malformed URL, a missing database, an unknown parameter or
 *   an unreadable `ssl-ca` file.
 */
export function mysqlConnectionConfig(target: ConnectionTarget): MysqlConnectionConfig {
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    throw invalid('(unparsable URL)', 'it cannot be parsed as a URL.');
  }
  const description = describeMysqlUrl(url);
  const scheme = url.protocol.toLowerCase();
  if (scheme !== 'mysql:' && scheme !== 'mariadb:') {
    throw invalid(description, 'it must start with mysql:// or mariadb://.');
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost';
  const port = url.port === '' ? MYSQL_DEFAULT_PORT : Number(url.port);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (database === '' || database.includes('/')) {
    throw invalid(description, 'it names no database; add it as the path, e.g. /app.');
  }
  for (const key of url.searchParams.keys()) {
    if (!(PARAMETERS as readonly string[]).includes(key)) {
      throw invalid(description, `unknown parameter "${key}" (known: ${PARAMETERS.join(', ')}).`);
    }
  }
  const sslParam = url.searchParams.get('ssl');
  const ca = url.searchParams.get('ssl-ca');
  const sslMode: MysqlSslMode | undefined =
    sslParam === null ? (ca === null ? 'disabled' : 'verify_ca') : SSL_MODES[sslParam.toLowerCase()];
  if (sslMode === undefined) {
    throw invalid(
      description,
      `ssl=${sslParam} is not one of true, required, verify_ca, verify_identity, false, disabled.`,
    );
  }
  const timeoutText = url.searchParams.get('connect_timeout');
  const timeoutS = timeoutText === null ? DEFAULT_CONNECT_TIMEOUT_S : Number(timeoutText);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0) {
    throw invalid(description, `connect_timeout=${timeoutText} is not a positive number of seconds.`);
  }
  const user = decodeURIComponent(url.username);
  const password =
    url.password !== ''
      ? decodeURIComponent(url.password)
      : readOptionFilePassword(target.env ?? process.env);
  const connectTimeoutMs = Math.round(timeoutS * 1000);
  const options: ConnectionOptions = {
    host,
    port,
    // Like the mysql client, a URL without a user connects as the OS login name.
    user: user === '' ? loginName() : user,
    ...(password === null ? {} : { password }),
    database,
    charset: 'UTF8MB4_UNICODE_CI',
    // Journal times come back as text, which the engine's version reader reads as UTC.
    dateStrings: true,
    multipleStatements: false,
    supportBigNumbers: true,
    connectTimeout: connectTimeoutMs,
    // mysql2 does not send the `_pid` the C client sends; the lock reports it as the holder's pid.
    connectAttributes: { program_name: PROGRAM_NAME, _pid: String(process.pid), stratum_host: hostname() },
    ...(sslMode === 'disabled' ? {} : { ssl: sslOptions(sslMode, ca, description, host) }),
  };
  return {
    host,
    port,
    user: options.user!,
    database,
    sslMode,
    connectTimeoutMs,
    description,
    hasPassword: password !== null,
    options,
  };
}

function loginName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'root';
  }
}

function sslOptions(
  mode: MysqlSslMode,
  caPath: string | null,
  description: string,
  host: string,
): SslOptions {
  let ca: string | undefined;
  if (caPath !== null) {
    try {
      ca = readFileSync(caPath, 'utf8');
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw invalid(description, `the ssl-ca file cannot be read (${why}).`);
    }
  }
  const verify = mode !== 'required';
  return {
    ...(ca === undefined ? {} : { ca }),
    rejectUnauthorized: verify,
    // mysql2 sends no server name for an IP address, and Node then checks the certificate against
    // "localhost" instead: a certificate for localhost passed for 127.0.0.1 (or 10.0.0.5), and one
    // for the address itself failed. For an IP host, mysql2 checks the chain only and
    // driver-connection.ts checks the address once connected.
    verifyIdentity: mode === 'verify_identity' && isIP(host) === 0,
  };
}
