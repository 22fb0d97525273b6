/**
 * Throwaway PostgreSQL and MariaDB servers with TLS and password logins, for the tests the shared
 * servers cannot cover (they use trust auth / an empty root password and offer no TLS): each
 * server gets its own temp dir, a fresh CA and server certificate made with `openssl`, a random
 * free port on 127.0.0.1, and is stopped and deleted by `stop()`.
 *
 * Missing binaries (openssl, initdb, mariadbd) fail loudly — never a skip (STYLE.md §F). As root
 * (CI), PostgreSQL runs as the `postgres` OS user via `runuser`, since initdb and postgres refuse
 * root; MariaDB runs with `--user=root`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The certificates of a scratch server, as files in its temp dir. */
export interface ScratchCertificates {
  /** The CA that signed the server's certificate. */
  readonly caFile: string;
  /** An unrelated CA, which did not sign it. */
  readonly otherCaFile: string;
  /** The server's certificate: subject and subjectAltName `localhost` only, no IP address. */
  readonly certFile: string;
  readonly keyFile: string;
}

/** A running scratch server. */
export interface ScratchServer {
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** A database the user may use. */
  readonly database: string;
  readonly certs: ScratchCertificates;
  /** Stops the server (no clean shutdown: the data is thrown away) and deletes its temp dir. */
  stop(): Promise<void>;
}

const OPENSSL_CONFIG = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost
authorityKeyIdentifier = keyid
`;

/** Runs a program to completion; a failure names it and shows its output. */
function run(file: string, args: readonly string[], timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error === null) resolve(stdout);
      else reject(new Error(`${[file, ...args].join(' ')} failed: ${error.message}\n${stdout}${stderr}`));
    });
  });
}

/** Throws unless `path` exists: the tests need it, so its absence is a failure, not a skip. */
function requireBinary(path: string, debianPackage: string): string {
  if (!existsSync(path)) {
    throw new Error(
      `${path} is missing: these tests need it (apt-get install ${debianPackage}; .ci/run does).`,
    );
  }
  return path;
}

/** A TCP port nothing listens on right now, on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A random password that needs no percent-encoding in a URL. */
export function randomPassword(): string {
  return `pw-${randomBytes(12).toString('hex')}`;
}

/** Makes a CA, a server certificate for `localhost` signed by it, and an unrelated second CA in `dir`. */
export async function makeCertificates(dir: string): Promise<ScratchCertificates> {
  const openssl = requireBinary('/usr/bin/openssl', 'openssl');
  const config = join(dir, 'openssl.cnf');
  writeFileSync(config, OPENSSL_CONFIG);
  const file = (name: string) => join(dir, name);
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const newCa = (name: string, subject: string) =>
    run(openssl, [
      ...['req', '-config', config, '-x509', ...ecKey, '-days', '2'],
      ...['-keyout', file(`${name}.key`), '-out', file(`${name}.crt`)],
      ...['-subj', subject, '-extensions', 'ca'],
    ]);
  await newCa('ca', '/CN=Stratum scratch CA');
  await newCa('other-ca', '/CN=Stratum unrelated CA');
  await run(openssl, [
    ...['req', '-config', config, '-new', ...ecKey, '-subj', '/CN=localhost'],
    ...['-keyout', file('server.key'), '-out', file('server.csr')],
  ]);
  await run(openssl, [
    ...['x509', '-req', '-in', file('server.csr'), '-out', file('server.crt'), '-days', '2'],
    ...['-CA', file('ca.crt'), '-CAkey', file('ca.key')],
    ...['-set_serial', `0x${randomBytes(8).toString('hex')}`],
    ...['-extfile', config, '-extensions', 'server'],
  ]);
  chmodSync(file('server.key'), 0o600);
  return {
    caFile: file('ca.crt'),
    otherCaFile: file('other-ca.crt'),
    certFile: file('server.crt'),
    keyFile: file('server.key'),
  };
}

const isRoot = process.getuid?.() === 0;

/** The newest /usr/lib/postgresql/<version>/bin that has initdb. */
function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(
      `No ${root}/<version>/bin/initdb: these tests need the postgresql package (.ci/run installs it).`,
    );
  }
  return join(root, versions[0]!, 'bin');
}

/** Runs a PostgreSQL program as the `postgres` OS user when we are root (initdb/postgres refuse root). */
function runPostgresTool(program: string, args: readonly string[]): Promise<string> {
  return isRoot ? run('/usr/sbin/runuser', ['-u', 'postgres', '--', program, ...args]) : run(program, args);
}

/** Gives the tree to the `postgres` OS user when we are root. */
async function handToPostgres(dir: string): Promise<void> {
  if (!isRoot) return;
  const uid = Number((await run('/usr/bin/id', ['-u', 'postgres'])).trim());
  const gid = Number((await run('/usr/bin/id', ['-g', 'postgres'])).trim());
  const walk = (path: string) => {
    chownSync(path, uid, gid);
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const child = join(path, entry.name);
      if (entry.isDirectory()) walk(child);
      else chownSync(child, uid, gid);
    }
  };
  walk(dir);
}

/**
 * Starts a PostgreSQL cluster in a temp dir: superuser `postgres` with a random password,
 * `ssl = on` with a certificate for `localhost`, and a pg_hba.conf that takes TCP logins only over
 * SSL with scram-sha-256 (`hostssl`) and rejects plain TCP.
 */
export async function startScratchPostgres(): Promise<ScratchServer> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'stratum-pg-tls-'));
  const data = join(dir, 'data');
  let started = false;
  const stop = async () => {
    try {
      if (started) await runPostgresTool(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    const certs = await makeCertificates(dir);
    const password = randomPassword();
    writeFileSync(join(dir, 'pwfile'), `${password}\n`);
    await handToPostgres(dir);
    await runPostgresTool(join(bin, 'initdb'), [
      ...['-D', data, '-U', 'postgres', `--pwfile=${join(dir, 'pwfile')}`, '--auth=scram-sha-256'],
      ...['-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'],
    ]);
    const port = await freePort();
    writeFileSync(
      join(data, 'postgresql.conf'),
      [
        readFileSync(join(data, 'postgresql.conf'), 'utf8'),
        `listen_addresses = '127.0.0.1'`,
        `port = ${port}`,
        `unix_socket_directories = '${dir}'`,
        'ssl = on',
        `ssl_cert_file = '${certs.certFile}'`,
        `ssl_key_file = '${certs.keyFile}'`,
        // A scratch cluster: small and fast, nothing to keep.
        'shared_buffers = 16MB',
        'max_connections = 20',
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(data, 'pg_hba.conf'),
      [
        'local all all scram-sha-256',
        'hostssl all all 127.0.0.1/32 scram-sha-256',
        'host all all 127.0.0.1/32 reject',
        '',
      ].join('\n'),
    );
    await handToPostgres(dir);
    started = true;
    const log = join(dir, 'server.log');
    try {
      await runPostgresTool(join(bin, 'pg_ctl'), ['-D', data, '-l', log, '-w', '-t', '60', 'start']);
    } catch (error) {
      const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
      throw new Error(`${(error as Error).message}\nserver.log:\n${text}`, { cause: error });
    }
    return { port, user: 'postgres', password, database: 'postgres', certs, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

/** Waits until `child` logs "ready for connections" in `logFile`; fails if it exits first. */
async function waitForMariadb(child: ChildProcess, logFile: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  for (;;) {
    if (log().includes('ready for connections')) return;
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `mariadbd exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${log()}`,
      );
    }
    if (Date.now() > deadline) throw new Error(`mariadbd was not ready within ${timeoutMs} ms:\n${log()}`);
    await sleep(50);
  }
}

/**
 * Starts a MariaDB server in a temp dir: user `stratum_tls` with a random password and all
 * privileges on database `app`, TLS with a certificate for `localhost`, and
 * `require_secure_transport=ON`, so unencrypted TCP logins are refused.
 */
export async function startScratchMariadb(): Promise<ScratchServer> {
  const installDb = requireBinary('/usr/bin/mariadb-install-db', 'mariadb-server');
  const mariadbd = requireBinary('/usr/sbin/mariadbd', 'mariadb-server');
  const dir = mkdtempSync(join(tmpdir(), 'stratum-my-tls-'));
  const data = join(dir, 'data');
  let child: ChildProcess | null = null;
  const stop = async () => {
    try {
      if (child !== null && child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child!.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  // Small and fast: nothing here is kept.
  const engine = [
    '--innodb-buffer-pool-size=16M',
    '--innodb-log-file-size=8M',
    '--innodb-use-native-aio=0',
    '--skip-name-resolve',
    ...(isRoot ? ['--user=root'] : []),
  ];
  try {
    const certs = await makeCertificates(dir);
    const user = 'stratum_tls';
    const password = randomPassword();
    const init = join(dir, 'init.sql');
    writeFileSync(
      init,
      [
        'CREATE DATABASE app;',
        `CREATE USER '${user}'@'%' IDENTIFIED BY '${password}';`,
        `GRANT ALL ON app.* TO '${user}'@'%';`,
        '',
      ].join('\n'),
    );
    await run(installDb, [
      '--no-defaults',
      `--datadir=${data}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      ...engine,
    ]);
    const port = await freePort();
    const logFile = join(dir, 'error.log');
    const server = spawn(
      mariadbd,
      [
        '--no-defaults',
        `--datadir=${data}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        `--socket=${join(dir, 'mysqld.sock')}`,
        `--pid-file=${join(dir, 'mysqld.pid')}`,
        `--log-error=${logFile}`,
        `--init-file=${init}`,
        `--ssl-ca=${certs.caFile}`,
        `--ssl-cert=${certs.certFile}`,
        `--ssl-key=${certs.keyFile}`,
        '--require-secure-transport=ON',
        '--skip-log-bin',
        '--performance-schema=OFF',
        '--innodb-flush-log-at-trx-commit=0',
        ...engine,
      ],
      { stdio: 'ignore' },
    );
    child = server;
    await waitForMariadb(server, logFile);
    return { port, user, password, database: 'app', certs, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
