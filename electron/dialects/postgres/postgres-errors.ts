/**
 * Turns pg's errors into Stratum's: server errors into {@link DatabaseError}s keeping the SQLSTATE,
 * connection failures into `DATABASE_UNAVAILABLE` with a message that says what to do next. No
 * message ever contains the password: connection messages name the server through
 * `PostgresConnectionOptions.description`, which is built without it.
 */
import { EngineError } from '../../engine/engine-error.ts';
import { DatabaseError } from '../../engine/ports.ts';
import { certificateNames } from '../tls-certificate.ts';
import type { PostgresConnectionOptions } from './connection-options.ts';
import { serverAddress } from './connection-options.ts';

/** The fields of a pg server error (`pg.DatabaseError`) that Stratum reads. */
interface ServerErrorFields {
  readonly code?: string;
  readonly position?: string;
  readonly detail?: string;
  readonly hint?: string;
}

/** pg's message when the server answers an SSLRequest with "no". */
export const NO_SSL_MESSAGE = 'The server does not support SSL connections';

/** Marks the password callback's failure when neither the URL nor the password file has one. */
export class PasswordMissingError extends Error {
  readonly pgpassNote: string;
  constructor(user: string, pgpassNote: string) {
    super(`the server asks for a password for user "${user}" and none was given`);
    this.name = 'PasswordMissingError';
    this.pgpassNote = pgpassNote;
  }
}

function fieldsOf(error: unknown): ServerErrorFields & { message: string; errno?: string } {
  const message = error instanceof Error ? error.message : String(error);
  if (typeof error !== 'object' || error === null) return { message };
  const e = error as Record<string, unknown>;
  const str = (key: string): string | undefined => (typeof e[key] === 'string' ? e[key] : undefined);
  return { message, code: str('code'), position: str('position'), detail: str('detail'), hint: str('hint') };
}

/** `line L, column C` of a 1-based character `position` in `sql`. */
export function positionInSql(sql: string, position: number): { line: number; column: number } {
  const before = [...sql].slice(0, Math.max(0, position - 1)).join('');
  const lines = before.split('\n');
  return { line: lines.length, column: [...lines.at(-1)!].length + 1 };
}

/** Whether a pg error is the server's (it has a five-character SQLSTATE). */
function isServerError(code: string | undefined): code is string {
  return code !== undefined && /^[0-9A-Z]{5}$/.test(code);
}

/**
 * Wraps an error from a query: SQLSTATE as `nativeCode`, the error `position` as a line and
 * column of the statement, then the server's DETAIL and HINT.
 */
export function toDatabaseError(error: unknown, sql?: string, lockTimeoutMs?: number): DatabaseError {
  if (error instanceof DatabaseError) return error;
  const f = fieldsOf(error);
  if (f.code === LOCK_NOT_AVAILABLE) return lockNotAvailable(f.message, error, lockTimeoutMs);
  let message = f.message;
  const position = f.position === undefined ? NaN : Number(f.position);
  if (sql !== undefined && Number.isInteger(position) && position > 0) {
    const at = positionInSql(sql, position);
    message += ` (at line ${at.line}, column ${at.column} of the statement)`;
  }
  if (f.detail !== undefined) message += `. Detail: ${f.detail}`;
  if (f.hint !== undefined) message += `. Hint: ${f.hint}`;
  if (f.code === '42501' && sql !== undefined) message += privilegeNote(f.message, sql);
  return new DatabaseError(message, isServerError(f.code) ? f.code : null, { cause: error });
}

/** SQLSTATE lock_not_available: `lock_timeout` ran out (or a `NOWAIT` lock was taken). */
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * 55P03 as a {@link DatabaseError} with `lockWaitedMs`, which the engine reports as `LOCKED`
 * (exit 7): the statement gave up waiting for a lock another session holds.
 */
function lockNotAvailable(
  serverMessage: string,
  cause: unknown,
  lockTimeoutMs: number | undefined,
): DatabaseError {
  const waited =
    lockTimeoutMs === undefined
      ? 'could not get a lock on a table another session holds'
      : `waited ${formatSeconds(lockTimeoutMs)} s for a lock on a table another session holds (lock_timeout)`;
  const message =
    `${serverMessage}: ${waited}; find it in pg_locks/pg_stat_activity ` +
    `(SELECT pid, state, xact_start, query FROM pg_stat_activity WHERE pid = ANY(pg_blocking_pids(<pid>))), ` +
    `or raise --lock-timeout`;
  return new DatabaseError(message, LOCK_NOT_AVAILABLE, { cause, lockWaitedMs: lockTimeoutMs ?? 0 });
}

/** Milliseconds as seconds with at most one decimal (`2`, `0.5`). */
function formatSeconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}

/**
 * What a permission error (42501) was about: the server names the schema (`permission denied for
 * schema public`), not the table the statement wanted to create, so the note names the statement
 * and, for a `CREATE` refused on a schema, the privilege to grant.
 */
function privilegeNote(serverMessage: string, sql: string): string {
  const head = sql
    .trim()
    .split('\n')[0]!
    .replace(/\s*\($/, '');
  const statement = head.length > 120 ? `${head.slice(0, 117)}...` : head;
  const schema = /^permission denied for schema (.+)$/.exec(serverMessage)?.[1];
  if (schema !== undefined && /^create\b/i.test(statement)) {
    return `. The statement ${statement} needs the CREATE privilege on schema ${schema} (GRANT CREATE ON SCHEMA ${schema} TO the user)`;
  }
  return `. The statement: ${statement}`;
}

/**
 * SQLSTATEs of a server that ends the session: admin_shutdown (pg_terminate_backend, a fast
 * shutdown), crash_shutdown, idle_session_timeout.
 */
const SESSION_ENDED = new Set(['57P01', '57P02', '57P05']);

/** Whether a query's error means the server ended the session. */
export function endsSession(error: unknown): boolean {
  const code = fieldsOf(error).code;
  return code !== undefined && SESSION_ENDED.has(code);
}

/**
 * A DatabaseError for a lost connection: for a statement sent on a connection lost earlier
 * (`running` false), or for the statement that was running when the server ended the session.
 */
export function connectionLost(description: string, cause: unknown, running = false): DatabaseError {
  const f = fieldsOf(cause);
  const what = running
    ? `The connection to ${description} was lost while the statement ran (${f.message}): the server ended ` +
      `the session (pg_terminate_backend, a restart or a crash).`
    : `The connection to ${description} was lost (${f.message}); the statement was not run.`;
  return new DatabaseError(
    `${what} Any open transaction was rolled back by the server.`,
    isServerError(f.code) ? f.code : null,
    {
      cause,
    },
  );
}

/** Why a connection attempt failed, worded for the user (no "Cannot connect…" prefix). */
export function describeConnectError(error: unknown, options: PostgresConnectionOptions): string {
  const f = fieldsOf(error);
  const where = serverAddress(options);
  const user = options.user;
  const database = options.database;
  if (error instanceof PasswordMissingError) {
    return `${error.message}. Put it in the URL (postgres://${user}:PASSWORD@…, percent-encoded) or in ${error.pgpassNote}.`;
  }
  switch (f.code) {
    case 'ECONNREFUSED':
      return `connection refused. Is the server running on ${where} and accepting TCP connections (listen_addresses, port)?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host name "${options.host}" cannot be resolved. Check the host in the URL.`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${where} cannot be reached (${f.code}). Check the host, the port and any firewall or VPN.`;
    case 'ENOENT':
      return `there is no server socket in ${options.host} for port ${options.port}. Is the server running?`;
    case 'ECONNRESET':
      return `the server closed the connection during the handshake (${f.message}). Check the server's log and its SSL settings.`;
    case '28P01':
      return `password authentication failed for user "${user}". Check the password in the URL or in the password file (~/.pgpass or PGPASSFILE).`;
    case '28000':
      return `${f.message}. The server's pg_hba.conf refuses this connection; if it requires SSL, add ?sslmode=require to the URL.`;
    case '3D000':
      return `database "${database}" does not exist. Create it first (CREATE DATABASE "${database}"; or \`createdb -h ${options.host} -p ${options.port} -U ${user} ${database}\`), or fix the database name in the URL.`;
    case '53300':
      return `${f.message}. The server has no free connection slots; try again when other clients have disconnected.`;
    case '57P03':
      return `${f.message}. The server is starting up or shutting down; try again in a moment.`;
    default:
      break;
  }
  if (f.message === 'timeout expired' || /connection timeout/i.test(f.message)) {
    const seconds = options.connectTimeoutMs / 1000;
    return `no answer within ${seconds} s. Check that ${where} is the PostgreSQL server and is reachable, or wait longer with ?connect_timeout=SECONDS in the URL.`;
  }
  if (f.message === NO_SSL_MESSAGE) {
    return `the server does not support SSL, but the URL asks for it (sslmode=${options.sslMode}). Enable ssl on the server, or use sslmode=prefer or sslmode=disable.`;
  }
  if (f.code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    // The CA was right (the chain verified first): telling the user to give one would mislead.
    return (
      `the server's certificate does not name the host "${options.host}" in the URL (it names ` +
      `${certificateNames(error)}). With sslmode=verify-full the URL must use a name the certificate ` +
      `lists: connect by that name, or use sslmode=verify-ca to check the CA without the host name.`
    );
  }
  if (/certificate|self[- ]signed|altnames|SSL|TLS/i.test(f.message)) {
    return `the SSL connection failed: ${f.message}. With sslmode=verify-ca or verify-full, give the server's CA with ?sslrootcert=PATH; sslmode=require encrypts without verifying.`;
  }
  return isServerError(f.code) ? `${f.message} (${f.code})` : f.message;
}

/** `DATABASE_UNAVAILABLE` for a failed connection attempt. */
export function connectError(
  error: unknown,
  options: PostgresConnectionOptions,
): EngineError<'DATABASE_UNAVAILABLE'> {
  const reason = describeConnectError(error, options);
  return new EngineError(
    'DATABASE_UNAVAILABLE',
    `Cannot connect to the PostgreSQL database ${options.description}: ${reason}`,
    { database: options.description, reason },
    { cause: error },
  );
}
