/**
 * Parses `postgres://` / `postgresql://` URLs into what connection.ts needs, following libpq's URI
 * form (https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING-URIS):
 * `postgres://user:password@host:port/database?sslmode=…&sslrootcert=…&connect_timeout=…&application_name=…`.
 *
 * Decisions:
 * - Defaults are libpq's: host `localhost`, port 5432, user = the OS user, database = the user,
 *   `sslmode=prefer` (try SSL without verifying, fall back to plain when the server has none).
 *   `connect_timeout` defaults to 10 s (libpq waits forever; a migration tool should not), 0 waits
 *   forever; `application_name` defaults to `stratum` so DBAs see who holds locks.
 * - `sslmode=require` with an `sslrootcert` verifies the CA, as libpq does; `verify-ca` and
 *   `verify-full` without one use Node's bundled CAs (`sslrootcert=system` says so explicitly).
 *   A relative `sslrootcert` is relative to the project folder.
 * - Unknown query parameters are refused rather than silently ignored, so a typo in `sslmode`
 *   cannot turn verification off.
 * - `description` never contains the password: it is rebuilt from the parsed parts.
 */
import { userInfo } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { EngineError } from '../../engine/engine-error.ts';

/** The `sslmode` values Stratum understands (libpq's, except `allow`). */
export const SSL_MODES = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
/** One of {@link SSL_MODES}. */
export type SslMode = (typeof SSL_MODES)[number];

/** Default `connect_timeout`, in seconds. */
export const DEFAULT_CONNECT_TIMEOUT_S = 10;
/** Default `application_name`. */
export const DEFAULT_APPLICATION_NAME = 'stratum';

const KNOWN_PARAMETERS = new Set([
  'sslmode',
  'sslrootcert',
  'connect_timeout',
  'application_name',
  'host',
  'port',
  'user',
  'password',
  'dbname',
]);

/** A parsed PostgreSQL URL. */
export interface PostgresConnectionOptions {
  /** Host name, IP address (IPv6 without brackets) or a Unix socket folder (starting with `/`). */
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  /** From the URL; null when absent (then ~/.pgpass is consulted if the server asks). */
  readonly password: string | null;
  readonly sslMode: SslMode;
  /** Absolute CA file path, `system`, or null. */
  readonly sslRootCert: string | null;
  /** 0 = no limit. */
  readonly connectTimeoutMs: number;
  readonly applicationName: string;
  /** `postgres://user@host:port/database`, for messages: never the password. */
  readonly description: string;
}

function invalid(url: string, reason: string): EngineError<'URL_INVALID'> {
  return new EngineError(
    'URL_INVALID',
    `Invalid PostgreSQL URL: ${reason}. Example: postgres://user@localhost:5432/app?sslmode=require`,
    { url: redactPostgresUrl(url), reason },
  );
}

/** The URL with any password replaced by `***` (user-info and `password=` parameters). */
export function redactPostgresUrl(url: string): string {
  return url
    .replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#@]*)@/, (whole, scheme: string, info: string) => {
      const colon = info.indexOf(':');
      return colon < 0 ? whole : `${scheme}${info.slice(0, colon)}:***@`;
    })
    .replace(/([?&]password=)[^&#]*/gi, '$1***');
}

function decode(url: string, text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw invalid(url, `the ${what} is not valid percent-encoding`);
  }
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'postgres';
  }
}

function parsePort(url: string, text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) throw invalid(url, `port "${text}" is not 1–65535`);
  return port;
}

/**
 * Parses a PostgreSQL URL (see the module comment).
 *
 * @param baseDir Folder a relative `sslrootcert` is resolved against (the project root).
 * @throws EngineError `URL_INVALID` for another scheme, several hosts, a bad port, an unknown
 *   `sslmode`, an unknown parameter or a non-numeric `connect_timeout`.
 */
export function parsePostgresUrl(url: string, baseDir: string): PostgresConnectionOptions {
  if (!/^postgres(ql)?:\/\//i.test(url.trim())) {
    throw invalid(url, 'it must start with postgres:// or postgresql://');
  }
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw invalid(url, 'it cannot be parsed (several hosts, `host1,host2`, are not supported)');
  }
  const params = parsed.searchParams;
  for (const key of params.keys()) {
    if (!KNOWN_PARAMETERS.has(key)) {
      throw invalid(url, `unknown parameter "${key}" (known: ${[...KNOWN_PARAMETERS].join(', ')})`);
    }
  }
  let host = decode(url, parsed.hostname, 'host');
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  host = params.get('host') ?? (host === '' ? 'localhost' : host);
  const port = parsePort(url, params.get('port') ?? (parsed.port === '' ? '5432' : parsed.port));
  const user =
    params.get('user') ?? (parsed.username === '' ? osUser() : decode(url, parsed.username, 'user name'));
  const path = params.get('dbname') ?? decode(url, parsed.pathname.replace(/^\//, ''), 'database name');
  const database = path === '' ? user : path;
  const password =
    params.get('password') ?? (parsed.password === '' ? null : decode(url, parsed.password, 'password'));

  const mode = params.get('sslmode') ?? 'prefer';
  if (!(SSL_MODES as readonly string[]).includes(mode)) {
    throw invalid(url, `sslmode "${mode}" is not one of ${SSL_MODES.join(', ')}`);
  }
  const rootCert = params.get('sslrootcert');
  const sslRootCert =
    rootCert === null || rootCert === ''
      ? null
      : rootCert === 'system' || isAbsolute(rootCert)
        ? rootCert
        : resolve(baseDir, rootCert);
  const sslMode: SslMode = mode === 'require' && sslRootCert !== null ? 'verify-ca' : (mode as SslMode);

  const timeoutText = params.get('connect_timeout') ?? String(DEFAULT_CONNECT_TIMEOUT_S);
  if (!/^\d+$/.test(timeoutText)) {
    throw invalid(url, `connect_timeout "${timeoutText}" is not a whole number of seconds`);
  }
  const applicationName = params.get('application_name') ?? DEFAULT_APPLICATION_NAME;
  const hostText = host.includes(':') ? `[${host}]` : host;
  const where = host.startsWith('/') ? `${encodeURIComponent(host)}` : hostText;
  return {
    host,
    port,
    user,
    database,
    password,
    sslMode,
    sslRootCert,
    connectTimeoutMs: Number(timeoutText) * 1000,
    applicationName,
    description: `postgres://${encodeURIComponent(user)}@${where}:${port}/${encodeURIComponent(database)}`,
  };
}

/** `host:port` for messages (`[::1]:5432`, or the socket folder). */
export function serverAddress(options: Pick<PostgresConnectionOptions, 'host' | 'port'>): string {
  if (options.host.startsWith('/')) return `the Unix socket in ${options.host} (port ${options.port})`;
  return `${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}`;
}
