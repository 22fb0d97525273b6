/**
 * PostgreSQL connections through pg (node-postgres): one `pg.Client` per session, plus one more per
 * held migration lock (lock.ts).
 *
 * Decisions:
 * - `execute` and `query` send their text with no parameters, so pg uses the simple query
 *   protocol: the text runs as psql would run it, and statements that refuse to run inside the
 *   extended protocol's implicit transaction (`CREATE INDEX CONCURRENTLY`, `VACUUM`) work.
 * - Every pg.Client gets an 'error' listener from birth: pg emits 'error' when an idle connection
 *   dies (server restart, `pg_terminate_backend`), and an EventEmitter 'error' with no listener
 *   would crash the process. The first such error is kept and thrown, as a `DatabaseError`,
 *   by the next statement; a statement that was running when the connection died fails itself.
 * - Passwords: from the URL, else from the password file (pgpass.ts), read only when the server
 *   asks for one. pg's own environment fallbacks (PGPASSWORD, PGHOST, …) never apply: every field
 *   is given explicitly, and the password is a callback.
 * - `sslmode=prefer` (the default) tries SSL first and, when the server answers that it has none,
 *   connects again without it; the connector then remembers that, so the lock connection of the
 *   same database does not try again.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import { EngineError } from '../../engine/engine-error.ts';
import type { ConnectionTarget, DatabaseConnection, DatabaseSession } from '../../engine/ports.ts';
import { parsePostgresUrl, type PostgresConnectionOptions } from './connection-options.ts';
import { PostgresLocker } from './lock.ts';
import { readPgpassPassword } from './pgpass.ts';
import {
  connectError,
  connectionLost,
  endsSession,
  NO_SSL_MESSAGE,
  PasswordMissingError,
  toDatabaseError,
} from './postgres-errors.ts';

/** How often the server checks that a Stratum session's client is still there. */
const CLIENT_CHECK_INTERVAL = '1s';
/** A connected pg.Client that remembers how it died, if it did. */
export class PostgresLink {
  readonly client: pg.Client;
  #lost: unknown = null;
  #closed = false;

  constructor(client: pg.Client) {
    this.client = client;
    client.on('error', (error: unknown) => {
      this.#lost ??= error;
    });
    client.on('end', () => {
      if (!this.#closed) this.#lost ??= new Error('the server closed the connection');
    });
  }

  /** The error that ended the connection, or null while it is alive. */
  get lost(): unknown {
    return this.#lost;
  }

  /** The server process id of this connection. */
  get backendPid(): number {
    return (this.client as unknown as { processID: number }).processID;
  }

  /** Ends the connection; never throws, and calling it again does nothing. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.client.end();
    } catch {
      // Already gone: the server dropped it.
    }
  }
}

/** Opens connected {@link PostgresLink}s to one database (see the module comment). */
export class PostgresConnector {
  readonly options: PostgresConnectionOptions;
  readonly #env: Readonly<Record<string, string | undefined>>;
  #sslRefused = false;
  #passwordSource = 'the URL';

  constructor(options: PostgresConnectionOptions, env: Readonly<Record<string, string | undefined>>) {
    this.options = options;
    this.#env = env;
  }

  /**
   * Connects one client.
   *
   * @throws EngineError `DATABASE_UNAVAILABLE` with an actionable reason (refused, timeout, wrong
   *   password, unknown database, SSL not offered, …); never with the password in it.
   */
  async connect(): Promise<PostgresLink> {
    const { sslMode } = this.options;
    const plain = sslMode === 'disable' || (sslMode === 'prefer' && this.#sslRefused);
    try {
      return await this.#attempt(plain ? false : this.#tls());
    } catch (error) {
      if (error instanceof EngineError) throw error;
      if (sslMode === 'prefer' && !plain && error instanceof Error && error.message === NO_SSL_MESSAGE) {
        this.#sslRefused = true;
        try {
          return await this.#attempt(false);
        } catch (retry) {
          throw this.#connectError(retry);
        }
      }
      throw this.#connectError(error);
    }
  }

  #connectError(error: unknown): EngineError<'DATABASE_UNAVAILABLE'> {
    const wrapped = connectError(error, this.options);
    if ((error as { code?: unknown }).code !== '28P01') return wrapped;
    const reason = `password authentication failed for user "${this.options.user}". Check the password in ${this.#passwordSource}.`;
    return new EngineError(
      'DATABASE_UNAVAILABLE',
      `Cannot connect to the PostgreSQL database ${this.options.description}: ${reason}`,
      { database: this.options.description, reason },
      { cause: error },
    );
  }

  async #attempt(ssl: TlsOptions | false): Promise<PostgresLink> {
    const o = this.options;
    const client = new pg.Client({
      host: o.host,
      port: o.port,
      user: o.user,
      database: o.database,
      password: async () => this.#password(),
      ssl,
      application_name: o.applicationName,
      connectionTimeoutMillis: o.connectTimeoutMs,
    });
    const link = new PostgresLink(client);
    try {
      await client.connect();
    } catch (error) {
      await link.close();
      throw error;
    }
    // A run killed with SIGKILL leaves its session (and the migration lock, and the open
    // transaction) on the server until the running statement ends, unless the server checks the
    // client: once a second, on PostgreSQL 14+ (older servers do not know the setting; ignored).
    await client
      .query(`SET client_connection_check_interval = '${CLIENT_CHECK_INTERVAL}'`)
      .catch(() => undefined);
    return link;
  }

  #password(): string {
    const o = this.options;
    if (o.password !== null) return o.password;
    const found = readPgpassPassword(
      { host: o.host, port: o.port, database: o.database, user: o.user },
      this.#env,
    );
    if (found.password !== null) {
      this.#passwordSource = `the password file ${found.file}`;
      return found.password;
    }
    const note = found.ignored ?? `the password file ${found.file} (or the file PGPASSFILE names)`;
    throw new PasswordMissingError(o.user, note);
  }

  #tls(): TlsOptions {
    const { sslMode, sslRootCert } = this.options;
    if (sslMode === 'prefer' || sslMode === 'require') return { rejectUnauthorized: false };
    let ca: string | undefined;
    if (sslRootCert !== null && sslRootCert !== 'system') {
      try {
        ca = readFileSync(sslRootCert, 'utf8');
      } catch (error) {
        const reason = `the CA file sslrootcert=${sslRootCert} cannot be read: ${(error as Error).message}`;
        throw new EngineError(
          'DATABASE_UNAVAILABLE',
          `Cannot connect to ${this.options.description}: ${reason}`,
          {
            database: this.options.description,
            reason,
          },
        );
      }
    }
    return {
      rejectUnauthorized: true,
      ...(ca === undefined ? {} : { ca }),
      // verify-ca checks the chain only, not that the certificate names this host.
      ...(sslMode === 'verify-ca' ? { checkServerIdentity: () => undefined } : {}),
    };
  }
}

const TABLE_EXISTS_SQL = `SELECT EXISTS (
  SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = current_schema() AND c.relname = $1 AND c.relkind IN ('r', 'p')
) AS found`;

/** A {@link DatabaseSession} over one pg connection (see the module comment). */
export class PostgresSession implements DatabaseSession {
  readonly dialect = 'postgres' as const;
  readonly description: string;
  readonly #link: PostgresLink;
  /** The session's `lock_timeout`, for the message of a statement that waited it out. */
  readonly #lockTimeoutMs: number | undefined;

  constructor(link: PostgresLink, description: string, lockTimeoutMs?: number) {
    this.#link = link;
    this.description = description;
    this.#lockTimeoutMs = lockTimeoutMs;
  }

  /**
   * Sets `lock_timeout` for this session: a statement waiting longer for a lock another session
   * holds fails with 55P03, reported as `LOCKED`.
   */
  async setLockTimeout(): Promise<void> {
    if (this.#lockTimeoutMs === undefined) return;
    await this.#run(`SET lock_timeout = '${lockTimeoutSetting(this.#lockTimeoutMs)}'`);
  }

  /** Runs one statement with the simple query protocol; throws `DatabaseError`. */
  async execute(sql: string): Promise<void> {
    await this.#run(sql);
  }

  /** Runs a query (simple protocol) and returns the rows of its last statement. */
  async query(sql: string): Promise<Record<string, unknown>[]> {
    const result = await this.#run(sql);
    const last = Array.isArray(result) ? result.at(-1) : result;
    return (last?.rows ?? []) as Record<string, unknown>[];
  }

  /** Whether a table (or partitioned table) named exactly `table` exists in `current_schema()`. */
  async tableExists(table: string): Promise<boolean> {
    const rows = await this.#run(TABLE_EXISTS_SQL, [table]);
    return (rows as pg.QueryResult).rows[0]?.found === true;
  }

  /** `current_user`. */
  async databaseUser(): Promise<string | null> {
    const rows = await this.query('SELECT current_user AS user_name');
    const name = rows[0]?.user_name;
    return typeof name === 'string' ? name : null;
  }

  async close(): Promise<void> {
    await this.#link.close();
  }

  async #run(sql: string, values?: unknown[]): Promise<pg.QueryResult | pg.QueryResult[]> {
    if (this.#link.lost !== null) throw connectionLost(this.description, this.#link.lost);
    try {
      // The result is an array when the text held several statements.
      return (await this.#link.client.query(sql, values)) as pg.QueryResult | pg.QueryResult[];
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code !== 'string' && this.#link.lost !== null) throw connectionLost(this.description, error);
      if (endsSession(error)) throw connectionLost(this.description, error, true);
      throw toDatabaseError(error, sql, this.#lockTimeoutMs);
    }
  }
}

/**
 * Opens a PostgreSQL database named by a `postgres://` URL: a session on one connection and a
 * {@link PostgresLocker} that takes its advisory lock on a connection of its own.
 *
 * @throws EngineError `URL_INVALID` for a malformed URL; `DATABASE_UNAVAILABLE` when the server
 *   cannot be reached, refuses the login, or has no such database.
 */
export async function openPostgresConnection(target: ConnectionTarget): Promise<DatabaseConnection> {
  const options = parsePostgresUrl(target.url, target.baseDir);
  const connector = new PostgresConnector(options, target.env ?? process.env);
  const link = await connector.connect();
  // The migration session only: the locker's own connection waits on the advisory lock with its
  // own timeout (lock.ts), and a lock_timeout there would cut that wait short.
  const session = new PostgresSession(link, options.description, target.lockTimeoutMs);
  try {
    await session.setLockTimeout();
  } catch (error) {
    await session.close();
    throw connectError(error, options);
  }
  return {
    session,
    locker: new PostgresLocker(connector, target.versionTable ?? 'stratum_version'),
  };
}

/** `lock_timeout` for `ms` (whole milliseconds, at least 1: 0 would mean no timeout at all). */
function lockTimeoutSetting(ms: number): string {
  return `${Math.max(1, Math.ceil(ms))}ms`;
}
