/**
 * TLS and password logins against real servers of their own (test/support/scratch-servers.ts): the
 * shared servers trust 127.0.0.1 and offer no TLS, so wrong passwords, certificate checks and
 * servers that insist on TLS can only be met on a scratch PostgreSQL cluster (hostssl +
 * scram-sha-256) and a scratch MariaDB (require_secure_transport=ON). Every case goes through the
 * dialect's `open` (as postgres-connection.test.ts does) or the CLI (as server-failures.test.ts
 * does), and no message may contain the password.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mysqlAdapter } from '../../electron/dialects/mysql/adapter.ts';
import { postgresAdapter } from '../../electron/dialects/postgres/adapter.ts';
import { isEngineError } from '../../electron/engine/engine-error.ts';
import type { DatabaseConnection, DialectAdapter } from '../../electron/engine/ports.ts';
import { removeTempDirs, runCli } from './fixtures/process/harness.ts';
import { serverProject } from './fixtures/server-failures/server-project.ts';
import {
  randomPassword,
  startScratchMariadb,
  startScratchPostgres,
  type ScratchServer,
} from '../support/scratch-servers.ts';

/** Servers start in well under 5 s here; the margin is for a slow CI machine. */
const START_TIMEOUT_MS = 120_000;

const open: DatabaseConnection[] = [];
afterEach(async () => {
  for (const connection of open.splice(0)) await connection.session.close();
  removeTempDirs();
});

/** Opens `url` with an empty environment (no ~/.pgpass, no ~/.my.cnf). */
async function connect(adapter: DialectAdapter, url: string): Promise<DatabaseConnection> {
  const connection = await adapter.open!({ url, baseDir: '/', create: false, env: {} });
  open.push(connection);
  return connection;
}

/** The `DATABASE_UNAVAILABLE` error of a failed open, checked to hold neither password. */
async function refused(
  adapter: DialectAdapter,
  url: string,
  passwords: readonly string[],
): Promise<Error & { details: { reason: string }; cause: { code?: string; errno?: number } }> {
  const error: unknown = await connect(adapter, url).then(
    () => expect.fail(`expected ${url.replace(/:[^:@/]*@/, ':***@')} to be refused`),
    (caught: unknown) => caught,
  );
  expect(isEngineError(error, 'DATABASE_UNAVAILABLE'), String(error)).toBe(true);
  const shown = JSON.stringify({
    message: (error as Error).message,
    details: (error as { details: unknown }).details,
  });
  for (const password of passwords) expect(shown).not.toContain(password);
  return error as Error & { details: { reason: string }; cause: { code?: string; errno?: number } };
}

describe('PostgreSQL: a scratch cluster with hostssl + scram-sha-256 only', () => {
  let server: ScratchServer;
  const wrong = randomPassword();
  beforeAll(async () => {
    server = await startScratchPostgres();
  }, START_TIMEOUT_MS);
  afterAll(async () => {
    await server?.stop();
  });

  /** A URL of the scratch cluster (127.0.0.1 and the right password unless told otherwise). */
  function url(query: string, options: { host?: string; password?: string } = {}): string {
    const password = options.password ?? server.password;
    const host = options.host ?? '127.0.0.1';
    return `postgres://${server.user}:${password}@${host}:${server.port}/${server.database}${query}`;
  }

  async function sslOf(connection: DatabaseConnection): Promise<unknown> {
    return connection.session.query('SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
  }

  it('refuses a wrong password with SQLSTATE 28P01, at the CLI too, never printing it', async () => {
    const error = await refused(postgresAdapter, url('?sslmode=require', { password: wrong }), [
      wrong,
      server.password,
    ]);
    expect(error.cause.code).toBe('28P01');
    expect(error.message).toBe(
      `Cannot connect to the PostgreSQL database postgres://postgres@127.0.0.1:${server.port}/postgres: ` +
        'password authentication failed for user "postgres". Check the password in the URL.',
    );

    // The default sslmode (prefer) reaches the hostssl line, then fails on the password.
    const project = serverProject('pg-tls-auth', 'postgres', []);
    const cli = await runCli(project, ['--url', url('', { password: wrong }), 'current']);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('password authentication failed for user "postgres"');
    expect(cli.stdout + cli.stderr).not.toContain(wrong);
  });

  it('sslmode=require encrypts with the right password (pg_stat_ssl says so)', async () => {
    const connection = await connect(postgresAdapter, url('?sslmode=require'));
    expect(await sslOf(connection)).toEqual([{ ssl: true, version: expect.stringMatching(/^TLSv1\.[23]$/) }]);
    expect(await connection.session.databaseUser()).toBe('postgres');
  });

  it('sslmode=verify-full with the CA that signed the certificate and host localhost works, at the CLI too', async () => {
    const verified = url(`?sslmode=verify-full&sslrootcert=${server.certs.caFile}`, { host: 'localhost' });
    const connection = await connect(postgresAdapter, verified);
    expect(await sslOf(connection)).toEqual([{ ssl: true, version: expect.any(String) }]);

    const project = serverProject('pg-tls-current', 'postgres', []);
    const cli = await runCli(project, ['--url', verified, 'current']);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toContain('nothing applied');
    expect(cli.stdout + cli.stderr).not.toContain(server.password);
  });

  it('sslmode=verify-ca checks the chain only, so 127.0.0.1 is accepted', async () => {
    const connection = await connect(
      postgresAdapter,
      url(`?sslmode=verify-ca&sslrootcert=${server.certs.caFile}`),
    );
    expect(await sslOf(connection)).toEqual([{ ssl: true, version: expect.any(String) }]);
  });

  it('sslmode=verify-full with an unrelated CA is a certificate error naming sslrootcert', async () => {
    const error = await refused(
      postgresAdapter,
      url(`?sslmode=verify-full&sslrootcert=${server.certs.otherCaFile}`, { host: 'localhost' }),
      [server.password],
    );
    expect(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN']).toContain(error.cause.code);
    expect(error.details.reason).toMatch(/^the SSL connection failed: (unable to verify|self[- ]signed)/);
    expect(error.details.reason).toContain("give the server's CA with ?sslrootcert=PATH");
  });

  it('sslmode=verify-full to 127.0.0.1 when the certificate names only localhost is a host name mismatch', async () => {
    const error = await refused(
      postgresAdapter,
      url(`?sslmode=verify-full&sslrootcert=${server.certs.caFile}`),
      [server.password],
    );
    expect(error.cause.code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(error.details.reason).toBe(
      'the server\'s certificate does not name the host "127.0.0.1" in the URL (it names DNS:localhost). ' +
        'With sslmode=verify-full the URL must use a name the certificate lists: connect by that name, or ' +
        'use sslmode=verify-ca to check the CA without the host name.',
    );
  });

  it('sslmode=disable is refused by pg_hba.conf, and the message says to use SSL', async () => {
    const error = await refused(postgresAdapter, url('?sslmode=disable'), [server.password]);
    expect(error.cause.code).toBe('28000');
    expect(error.details.reason).toBe(
      'pg_hba.conf rejects connection for host "127.0.0.1", user "postgres", database "postgres", no encryption. ' +
        "The server's pg_hba.conf refuses this connection; if it requires SSL, add ?sslmode=require to the URL.",
    );
  });
});

describe('MariaDB: a scratch server with require_secure_transport=ON and a password user', () => {
  let server: ScratchServer;
  const wrong = randomPassword();
  beforeAll(async () => {
    server = await startScratchMariadb();
  }, START_TIMEOUT_MS);
  afterAll(async () => {
    await server?.stop();
  });

  function url(query: string, options: { host?: string; password?: string } = {}): string {
    const password = options.password ?? server.password;
    const host = options.host ?? '127.0.0.1';
    return `mysql://${server.user}:${password}@${host}:${server.port}/${server.database}${query}`;
  }

  async function tlsVersionOf(connection: DatabaseConnection): Promise<unknown> {
    const rows = await connection.session.query("SHOW SESSION STATUS LIKE 'Ssl_version'");
    return rows[0]?.Value;
  }

  it('refuses a wrong password with errno 1045, at the CLI too, never printing it', async () => {
    const error = await refused(mysqlAdapter, url('?ssl=required', { password: wrong }), [
      wrong,
      server.password,
    ]);
    expect(error.cause.errno).toBe(1045);
    expect(error.message).toContain(
      `Cannot connect to mysql://${server.user}:***@127.0.0.1:${server.port}/app`,
    );
    expect(error.details.reason).toContain(
      `the server refused user "${server.user}" with the password given`,
    );
    expect(error.details.reason).toContain('ER_ACCESS_DENIED_ERROR 1045');
    // Encrypted, so the hint about servers that insist on TLS does not apply.
    expect(error.details.reason).not.toContain('require_secure_transport');

    const project = serverProject('my-tls-auth', 'mysql', []);
    const cli = await runCli(project, ['--url', url('?ssl=required', { password: wrong }), 'current']);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('1045');
    expect(cli.stdout + cli.stderr).not.toContain(wrong);
  });

  it('ssl=verify_identity with the right ssl-ca and host localhost works, at the CLI too', async () => {
    const verified = url(`?ssl=verify_identity&ssl-ca=${server.certs.caFile}`, { host: 'localhost' });
    const connection = await connect(mysqlAdapter, verified);
    expect(await tlsVersionOf(connection)).toMatch(/^TLSv1\.[23]$/);
    expect(await connection.session.databaseUser()).toBe(`${server.user}@%`);

    const project = serverProject('my-tls-current', 'mysql', []);
    const cli = await runCli(project, ['--url', verified, 'current']);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toContain('nothing applied');
    expect(cli.stdout + cli.stderr).not.toContain(server.password);
  });

  it('ssl=verify_ca checks the chain only, so 127.0.0.1 is accepted', async () => {
    const connection = await connect(mysqlAdapter, url(`?ssl=verify_ca&ssl-ca=${server.certs.caFile}`));
    expect(await tlsVersionOf(connection)).toMatch(/^TLSv1\.[23]$/);
  });

  it('an ssl-ca that did not sign the certificate is a certificate error with the next step', async () => {
    const error = await refused(
      mysqlAdapter,
      url(`?ssl=verify_identity&ssl-ca=${server.certs.otherCaFile}`, { host: 'localhost' }),
      [server.password],
    );
    // Node's words for an unknown CA depend on the chain the server sends.
    expect(error.details.reason).toMatch(
      /^the server's TLS certificate was rejected \((self-signed certificate in certificate chain|unable to verify the first certificate), HANDSHAKE_SSL_ERROR\)/,
    );
    expect(error.details.reason).toContain('Pass the CA that signed it with ssl-ca=PATH');
  });

  it('ssl=verify_identity to 127.0.0.1 when the certificate names only localhost is a host name mismatch', async () => {
    const error = await refused(mysqlAdapter, url(`?ssl=verify_identity&ssl-ca=${server.certs.caFile}`), [
      server.password,
    ]);
    expect(error.details.reason).toBe(
      'the server\'s TLS certificate does not name the host "127.0.0.1" in the URL (it names DNS:localhost; ' +
        'ERR_TLS_CERT_ALTNAME_INVALID). With ssl=verify_identity the URL must use a name the certificate ' +
        'lists: connect by that name, or use ssl=verify_ca to check the CA without the host name.',
    );
  });

  it('no TLS is refused (MariaDB answers 1045 even to the right password) with a hint to turn TLS on', async () => {
    const error = await refused(mysqlAdapter, url(''), [server.password]);
    expect(error.cause.errno).toBe(1045);
    expect(error.details.reason).toContain('ER_ACCESS_DENIED_ERROR 1045');
    expect(error.details.reason).toContain('require_secure_transport=ON');
    expect(error.details.reason).toContain('add ssl=required or ssl-ca=PATH to the URL');
    // The same user and password get in over TLS.
    const connection = await connect(mysqlAdapter, url('?ssl=required'));
    expect(await tlsVersionOf(connection)).toMatch(/^TLSv1\.[23]$/);
  });
});
