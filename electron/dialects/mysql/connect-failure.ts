/**
 * Words a failed MySQL/MariaDB connection attempt as `DATABASE_UNAVAILABLE`, saying what to do next
 * (STYLE.md §D.2). The URL is shown without its password, and the password is scrubbed from the
 * driver's text too, in case a driver ever echoes it.
 */
import { EngineError } from '../../engine/engine-error.ts';
import { certificateNames } from '../tls-certificate.ts';
import type { MysqlConnectionConfig } from './connection-config.ts';

interface DriverError {
  readonly message?: string;
  readonly code?: string;
  readonly errno?: number;
  readonly sqlMessage?: string;
}

const CERTIFICATE_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS/;
/** mysql2 replaces the code of any TLS failure during the handshake with this one; the text stays Node's. */
const HANDSHAKE_SSL_ERROR = 'HANDSHAKE_SSL_ERROR';

/**
 * Said after a 1045 on an unencrypted connection: MariaDB refuses such logins to a server with
 * `require_secure_transport=ON` (or a user with `REQUIRE SSL`) with the same "Access denied" as a
 * wrong password, on purpose (MDEV-30178), so the password may well be right.
 */
const UNENCRYPTED_ACCESS_DENIED =
  ' The connection was not encrypted, and MariaDB gives this same error when the server accepts only ' +
  'encrypted connections (require_secure_transport=ON) or the user must use TLS (REQUIRE SSL): if so, ' +
  'add ssl=required or ssl-ca=PATH to the URL.';

/** The reason a connection attempt failed, in words, with the next step. */
export function connectFailureReason(config: MysqlConnectionConfig, error: unknown): string {
  const e: DriverError = typeof error === 'object' && error !== null ? (error as DriverError) : {};
  const code = e.code ?? '';
  const text = e.sqlMessage ?? e.message ?? String(error);
  const where = `${config.host}:${config.port}`;
  switch (code) {
    case 'ECONNREFUSED':
      return (
        `nothing accepts connections at ${where} (connection refused). Check that the server is running ` +
        `and listens on that host and port.`
      );
    case 'ETIMEDOUT':
      return (
        `no answer from ${where} within ${config.connectTimeoutMs / 1000} s. Check the host, the port and ` +
        `any firewall, or wait longer with connect_timeout=SECONDS in the URL.`
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host name ${config.host} cannot be resolved (${code}). Check the host in the URL.`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${where} cannot be reached (${code}). Check the host and the network.`;
    case 'ER_ACCESS_DENIED_ERROR':
      return (
        `the server refused user "${config.user}" ${config.hasPassword ? 'with the password given' : 'without a password'} ` +
        `(${text}, ER_ACCESS_DENIED_ERROR 1045). Check the user and the password: in the URL ` +
        `(mysql://user:password@host/db), or as password= in the [client] group of ~/.my.cnf.` +
        (config.sslMode === 'disabled' ? UNENCRYPTED_ACCESS_DENIED : '')
      );
    case 'ER_BAD_DB_ERROR':
      return (
        `the database "${config.database}" does not exist on ${where} (ER_BAD_DB_ERROR 1049). Stratum does ` +
        `not create databases: create it with CREATE DATABASE \`${config.database.replaceAll('`', '``')}\` ` +
        `CHARACTER SET utf8mb4; or fix the database name in the URL.`
      );
    case 'ER_DBACCESS_DENIED_ERROR':
      return (
        `user "${config.user}" may not use the database "${config.database}" (${text}). Ask the DBA to ` +
        `GRANT it the privileges migrations need on \`${config.database}\`.*.`
      );
    case 'ER_HOST_NOT_PRIVILEGED':
      return `the server does not accept connections from this host (${text}). Ask the DBA to allow it.`;
    case 'ER_CON_COUNT_ERROR':
      return `the server has too many connections (${text}). Try again later.`;
    case 'HANDSHAKE_NO_SSL_SUPPORT':
      return (
        `the URL requires TLS (ssl=${config.sslMode}) but the server does not offer it. Enable TLS on the ` +
        `server, or remove ssl= from the URL to connect unencrypted.`
      );
    default:
      if (
        code === 'ERR_TLS_CERT_ALTNAME_INVALID' ||
        (code === HANDSHAKE_SSL_ERROR && /altnames/i.test(text))
      ) {
        return (
          `the server's TLS certificate does not name the host "${config.host}" in the URL (it names ` +
          `${certificateNames(error)}; ${code}). With ssl=verify_identity the URL must use a name the ` +
          `certificate lists: connect by that name, or use ssl=verify_ca to check the CA without the host name.`
        );
      }
      if (CERTIFICATE_CODES.test(code) || (code === HANDSHAKE_SSL_ERROR && /certificate/i.test(text))) {
        return (
          `the server's TLS certificate was rejected (${text}, ${code}). Pass the CA that signed it with ` +
          `ssl-ca=PATH, or use ssl=required to encrypt without verifying the certificate.`
        );
      }
      return `${text}${code === '' ? '' : ` (${code})`}.`;
  }
}

/** A `DATABASE_UNAVAILABLE` error for a failed connection attempt; `cause` keeps the driver error. */
export function connectFailure(
  config: MysqlConnectionConfig,
  error: unknown,
): EngineError<'DATABASE_UNAVAILABLE'> {
  const password = typeof config.options.password === 'string' ? config.options.password : '';
  let reason = connectFailureReason(config, error);
  // Short passwords would scrub ordinary words; the driver never echoes passwords anyway.
  if (password.length >= 4) reason = reason.replaceAll(password, '***');
  return new EngineError(
    'DATABASE_UNAVAILABLE',
    `Cannot connect to ${config.description}: ${reason}`,
    { database: config.description, reason },
    { cause: error },
  );
}
