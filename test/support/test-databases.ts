/**
 * Real PostgreSQL and MariaDB databases for tests: each call creates a uniquely named database on the
 * local server and returns its URL and a `drop()`. The servers run on every machine here and in CI
 * (.ci/run starts them); a server that cannot be reached fails the test loudly — never a skip.
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';

/** Where the local servers listen (overridable for other machines). */
export const TEST_SERVERS = {
  postgres: process.env.STRATUM_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  mysql: process.env.STRATUM_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/mysql',
} as const;

/** A scratch database on a real server. */
export interface TestDatabase {
  readonly dialect: 'postgres' | 'mysql';
  readonly name: string;
  /** URL of the scratch database (no password: trust auth / empty root password). */
  readonly url: string;
  drop(): Promise<void>;
}

/** Creates a uniquely named database (`stratum_t_<label>_<random>`) on the dialect's local server. */
export async function createTestDatabase(dialect: 'postgres' | 'mysql', label = 'db'): Promise<TestDatabase> {
  const name = `stratum_t_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const admin = new URL(TEST_SERVERS[dialect]);
  const url = new URL(admin.href);
  url.pathname = `/${name}`;
  await adminExec(dialect, `CREATE DATABASE ${quote(dialect, name)}`);
  return {
    dialect,
    name,
    url: url.href,
    drop: () =>
      adminExec(
        dialect,
        dialect === 'postgres'
          ? `DROP DATABASE IF EXISTS ${quote(dialect, name)} WITH (FORCE)`
          : `DROP DATABASE IF EXISTS ${quote(dialect, name)}`,
      ),
  };
}

/** Runs one statement as the server's administrator (postgres / root). */
export async function adminExec(dialect: 'postgres' | 'mysql', sql: string): Promise<void> {
  await adminQuery(dialect, sql);
}

/** Runs one query as the server's administrator and returns its rows. */
export async function adminQuery(
  dialect: 'postgres' | 'mysql',
  sql: string,
): Promise<Record<string, unknown>[]> {
  const where = TEST_SERVERS[dialect];
  try {
    if (dialect === 'postgres') {
      const client = new pg.Client({ connectionString: where, connectionTimeoutMillis: 5000 });
      await client.connect();
      try {
        return (await client.query(sql)).rows as Record<string, unknown>[];
      } finally {
        await client.end();
      }
    } else {
      const connection = await mysql.createConnection({ uri: where, connectTimeout: 5000 });
      try {
        const [rows] = await connection.query(sql);
        return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
      } finally {
        await connection.end();
      }
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ECONNREFUSED' || code === 'ETIMEDOUT' || code === 'ENOTFOUND') {
      throw new Error(
        `The ${dialect} test server at ${where} cannot be reached (${code}). These tests need it: ` +
          `start it (.ci/run does) or set STRATUM_TEST_${dialect === 'postgres' ? 'PG' : 'MYSQL'}_URL.`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** The rehearsal scratch databases (`stratum_rehearsal_…`) on a test server now; none should stay. */
export async function rehearsalDatabases(dialect: 'postgres' | 'mysql'): Promise<string[]> {
  const rows = await adminQuery(
    dialect,
    dialect === 'postgres'
      ? "SELECT datname AS name FROM pg_database WHERE datname LIKE 'stratum_rehearsal_%'"
      : "SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'stratum_rehearsal_%'",
  );
  return rows.map((r) => String(r.name));
}

function quote(dialect: 'postgres' | 'mysql', name: string): string {
  return dialect === 'postgres' ? `"${name}"` : `\`${name}\``;
}
