/**
 * The mysql2 plumbing both the session and the lock use: opening a connection that can never crash
 * the process with an unhandled `'error'` event, and wrapping driver errors (see connection.ts).
 */
import { isIP } from 'node:net';
import { checkServerIdentity, TLSSocket } from 'node:tls';
import mysql from 'mysql2/promise';
import type { Connection, ConnectionOptions } from 'mysql2/promise';
import { DatabaseError } from '../../engine/ports.ts';
import { connectFailure } from './connect-failure.ts';
import type { MysqlConnectionConfig } from './connection-config.ts';

/** What mysql2 puts on its errors. */
export interface DriverError {
  readonly message?: string;
  readonly code?: string;
  readonly errno?: number;
  readonly sqlState?: string;
  readonly sqlMessage?: string;
  readonly fatal?: boolean;
}

/** errno of `Lock wait timeout exceeded` (metadata locks and InnoDB row locks alike). */
const ER_LOCK_WAIT_TIMEOUT = 1205;

/**
 * `lock_wait_timeout` / `innodb_lock_wait_timeout` for a timeout of `ms`: whole seconds, rounded
 * up, at least 1 (the servers' minimum).
 */
export function lockWaitTimeoutSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/** Codes of a connection that is gone (on top of any error mysql2 marks `fatal`). */
const LOST_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'ECONNRESET',
  'EPIPE',
  'ER_CONNECTION_KILLED',
  'ER_SERVER_SHUTDOWN',
  'ER_NORMAL_SHUTDOWN',
]);

export function driverError(error: unknown): DriverError {
  return typeof error === 'object' && error !== null ? (error as DriverError) : {};
}

/** `ER_NO_SUCH_TABLE (1146, 42S02)`, or the bare code of a network error, or null. */
export function mysqlNativeCode(error: unknown): string | null {
  const { code, errno, sqlState } = driverError(error);
  if (typeof errno === 'number' && errno > 0 && sqlState !== undefined) {
    return `${code ?? 'ER_UNKNOWN'} (${errno}, ${sqlState})`;
  }
  return code ?? null;
}

/** Whether the error means the connection is gone. */
export function isConnectionLost(error: unknown): boolean {
  const e = driverError(error);
  return e.fatal === true || (e.code !== undefined && LOST_CODES.has(e.code));
}

/**
 * Wraps a driver error, keeping `ER_…` with errno and SQLSTATE. A lost connection says so and what
 * to do, naming the database by `description` (never with its password).
 */
export function toMysqlDatabaseError(
  error: unknown,
  description: string,
  lockTimeoutMs?: number,
): DatabaseError {
  if (error instanceof DatabaseError) return error;
  const e = driverError(error);
  const text = e.sqlMessage ?? e.message ?? String(error);
  const nativeCode = mysqlNativeCode(error);
  if (e.errno === ER_LOCK_WAIT_TIMEOUT) {
    const waited =
      lockTimeoutMs === undefined
        ? 'the statement waited'
        : `the statement waited ${lockWaitTimeoutSeconds(lockTimeoutMs)} s (lock_wait_timeout / innodb_lock_wait_timeout)`;
    const message =
      `${text}: ${waited} for a metadata lock or row lock another session holds on a table it needs ` +
      `(an open transaction, LOCK TABLES); find the session with SHOW PROCESSLIST ` +
      `(or performance_schema.metadata_locks), or raise --lock-timeout`;
    return new DatabaseError(message, nativeCode, { cause: error, lockWaitedMs: lockTimeoutMs ?? 0 });
  }
  if (isConnectionLost(error)) {
    const message =
      `The connection to ${description} was lost (${text}): the server closed it (KILL, a restart or ` +
      `wait_timeout). Check the server; statements that completed before stay applied.`;
    return new DatabaseError(message, nativeCode ?? 'PROTOCOL_CONNECTION_LOST', { cause: error });
  }
  return new DatabaseError(text, nativeCode, { cause: error });
}

/**
 * Opens one mysql2 connection for `config`, listening for `'error'` from the start. Connection
 * failures become `DATABASE_UNAVAILABLE` with a message that says what to do.
 */
export async function connectMysql(
  config: MysqlConnectionConfig,
  extra: Partial<ConnectionOptions> = {},
): Promise<{ connection: Connection; lost: () => Error | null }> {
  let connection: Connection;
  try {
    connection = await mysql.createConnection({ ...config.options, ...extra });
  } catch (error) {
    throw connectFailure(config, error);
  }
  const mismatch = ipIdentityMismatch(config, connection);
  if (mismatch !== null) {
    connection.destroy();
    throw connectFailure(config, mismatch);
  }
  let lost: Error | null = null;
  connection.on('error', (error: Error) => {
    lost ??= error;
  });
  return { connection, lost: () => lost };
}

/**
 * With `ssl=verify_identity` and an IP address for host, whether the server's certificate fails to
 * name that address. mysql2 cannot check it (connection-config.ts), so it is checked here, on the
 * connected TLS socket: after the login, but before Stratum sends any statement.
 */
function ipIdentityMismatch(config: MysqlConnectionConfig, connection: Connection): Error | null {
  if (config.sslMode !== 'verify_identity' || isIP(config.host) === 0) return null;
  const stream = (connection as unknown as { connection?: { stream?: unknown } }).connection?.stream;
  if (!(stream instanceof TLSSocket)) {
    // Fail closed: the driver no longer exposes its TLS socket where this expects it.
    return new Error(
      `the server's TLS certificate cannot be checked against ${config.host} (the driver exposes no TLS ` +
        `socket); connect by a host name the certificate lists, or use ssl=verify_ca`,
    );
  }
  return checkServerIdentity(config.host, stream.getPeerCertificate()) ?? null;
}
