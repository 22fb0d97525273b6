import { describe, expect, it } from 'vitest';
import { isEngineError } from '../../../electron/engine/engine-error.ts';
import { parsePostgresUrl } from '../../../electron/dialects/postgres/connection-options.ts';
import {
  connectError,
  positionInSql,
  toDatabaseError,
} from '../../../electron/dialects/postgres/postgres-errors.ts';

describe('parsePostgresUrl', () => {
  it('reads every part, percent-decoded, with no password in the description', () => {
    const o = parsePostgresUrl(
      'postgresql://al%40ce:p%3Ass%2Fw@db.example.com:6543/my%20db?sslmode=require&connect_timeout=3&application_name=ci',
      '/project',
    );
    expect(o).toMatchObject({
      host: 'db.example.com',
      port: 6543,
      user: 'al@ce',
      password: 'p:ss/w',
      database: 'my db',
      sslMode: 'require',
      sslRootCert: null,
      connectTimeoutMs: 3000,
      applicationName: 'ci',
    });
    expect(o.description).toBe('postgres://al%40ce@db.example.com:6543/my%20db');
    expect(o.description).not.toContain('p%3Ass');
  });

  it('uses libpq defaults, a 10 s connect timeout and application_name stratum', () => {
    const o = parsePostgresUrl('postgres:///?user=bob', '/p');
    expect(o).toMatchObject({
      host: 'localhost',
      port: 5432,
      user: 'bob',
      database: 'bob',
      password: null,
      sslMode: 'prefer',
      connectTimeoutMs: 10_000,
      applicationName: 'stratum',
    });
  });

  it('reads IPv6 hosts and socket folders', () => {
    expect(parsePostgresUrl('postgres://u@[::1]:5433/d', '/p')).toMatchObject({ host: '::1', port: 5433 });
    expect(parsePostgresUrl('postgres://u@%2Fvar%2Frun%2Fpostgresql/d', '/p').host).toBe(
      '/var/run/postgresql',
    );
  });

  it('resolves sslrootcert against the project and verifies the CA with sslmode=require', () => {
    const o = parsePostgresUrl('postgres://u@h/d?sslmode=require&sslrootcert=certs/ca.pem', '/project');
    expect(o).toMatchObject({ sslMode: 'verify-ca', sslRootCert: '/project/certs/ca.pem' });
  });

  it.each([
    ['mysql://u@h/d', 'postgres://'],
    ['postgres://u@h:99999/d', 'port'],
    ['postgres://u@h/d?sslmode=verify', 'sslmode'],
    ['postgres://u@h/d?ssl=true', 'unknown parameter "ssl"'],
    ['postgres://u@h/d?connect_timeout=soon', 'connect_timeout'],
  ])('rejects %s with URL_INVALID (%s)', (url, text) => {
    let caught: unknown;
    try {
      parsePostgresUrl(url, '/p');
    } catch (error) {
      caught = error;
    }
    expect(isEngineError(caught, 'URL_INVALID')).toBe(true);
    expect((caught as Error).message).toContain(text);
  });

  it('never puts the password in a URL_INVALID error', () => {
    try {
      parsePostgresUrl('postgres://u:hunter2@h/d?sslmode=nope', '/p');
      expect.fail('expected URL_INVALID');
    } catch (error) {
      expect(
        JSON.stringify({ m: (error as Error).message, d: (error as { details: unknown }).details }),
      ).not.toContain('hunter2');
    }
  });
});

describe('PostgreSQL error mapping', () => {
  // The shared test server trusts 127.0.0.1, so 28P01 is provoked live only on the scratch cluster
  // of test/integration/tls-and-auth.test.ts; this checks the mapping on its own.
  it('maps 28P01 to an actionable DATABASE_UNAVAILABLE without the password', () => {
    const options = parsePostgresUrl('postgres://app:hunter2@db.example.com/prod', '/p');
    const serverError = Object.assign(new Error('password authentication failed for user "app"'), {
      code: '28P01',
    });
    const error = connectError(serverError, options);
    expect(error.code).toBe('DATABASE_UNAVAILABLE');
    expect(error.message).toBe(
      'Cannot connect to the PostgreSQL database postgres://app@db.example.com:5432/prod: password ' +
        'authentication failed for user "app". Check the password in the URL or in the password file ' +
        '(~/.pgpass or PGPASSFILE).',
    );
    expect(JSON.stringify(error.details)).not.toContain('hunter2');
  });

  it('maps a host name mismatch to the names the certificate holds, not to a missing CA', () => {
    const options = parsePostgresUrl('postgres://app:hunter2@10.0.0.5/prod?sslmode=verify-full', '/p');
    const tlsError = Object.assign(
      new Error(
        "Hostname/IP does not match certificate's altnames: IP: 10.0.0.5 is not in the cert's list: ",
      ),
      {
        code: 'ERR_TLS_CERT_ALTNAME_INVALID',
        cert: { subjectaltname: 'DNS:db.example.com', subject: { CN: 'db' } },
      },
    );
    expect(connectError(tlsError, options).details.reason).toBe(
      'the server\'s certificate does not name the host "10.0.0.5" in the URL (it names DNS:db.example.com). ' +
        'With sslmode=verify-full the URL must use a name the certificate lists: connect by that name, or use ' +
        'sslmode=verify-ca to check the CA without the host name.',
    );
    const noSan = Object.assign(new Error('Hostname/IP does not match'), {
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
      cert: { subject: { CN: 'db' } },
    });
    expect(connectError(noSan, options).details.reason).toContain('(it names CN=db)');
    // Other certificate failures keep the advice about the CA.
    const unknownCa = Object.assign(new Error('self-signed certificate in certificate chain'), {
      code: 'SELF_SIGNED_CERT_IN_CHAIN',
    });
    expect(connectError(unknownCa, options).details.reason).toContain('?sslrootcert=PATH');
  });

  it('maps a connect timeout to "no answer within N s"', () => {
    const options = parsePostgresUrl('postgres://app@10.255.255.1/prod', '/p');
    expect(connectError(new Error('timeout expired'), options).message).toContain('no answer within 10 s');
  });

  it('keeps the SQLSTATE and maps the position to a line and column', () => {
    const sql = 'SELECT 1;\nSELEC oops';
    const pgError = Object.assign(new Error('syntax error at or near "SELEC"'), {
      code: '42601',
      position: '11',
      hint: 'Check the spelling.',
    });
    const error = toDatabaseError(pgError, sql);
    expect(error.nativeCode).toBe('42601');
    expect(error.message).toBe(
      'syntax error at or near "SELEC" (at line 2, column 1 of the statement). Hint: Check the spelling.',
    );
    expect(positionInSql('ab\ncd', 5)).toEqual({ line: 2, column: 2 });
  });
});
