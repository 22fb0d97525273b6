/**
 * The wording of failed MySQL/MariaDB connections for the TLS and login errors met live in
 * test/integration/tls-and-auth.test.ts, on synthetic driver errors shaped as mysql2 throws them.
 */
import { describe, expect, it } from 'vitest';
import { connectFailure } from '../../../electron/dialects/mysql/connect-failure.ts';
import { mysqlConnectionConfig } from '../../../electron/dialects/mysql/connection-config.ts';

const config = (url: string) => mysqlConnectionConfig({ url, baseDir: '/', create: false, env: {} });

/** mysql2's error for a TLS failure in the handshake: Node's error, its code replaced. */
function handshakeError(message: string, extra: object = {}): Error {
  return Object.assign(new Error(message), { code: 'HANDSHAKE_SSL_ERROR', fatal: true }, extra);
}

describe('connectFailure', () => {
  it('words a certificate mysql2 rejected in the handshake, with the next step', () => {
    const error = connectFailure(
      config('mysql://app:s3cret-pw@db.example/shop?ssl=verify_ca'),
      handshakeError('self-signed certificate in certificate chain'),
    );
    expect(error.details.reason).toBe(
      "the server's TLS certificate was rejected (self-signed certificate in certificate chain, " +
        'HANDSHAKE_SSL_ERROR). Pass the CA that signed it with ssl-ca=PATH, or use ssl=required to encrypt ' +
        'without verifying the certificate.',
    );
    expect(error.message).not.toContain('s3cret-pw');
  });

  it('words a host name mismatch with the names the certificate holds, not as a missing CA', () => {
    const reason = (url: string, error: Error) => connectFailure(config(url), error).details.reason;
    const fromHandshake = reason(
      'mysql://app@db.example/shop?ssl=verify_identity',
      handshakeError(
        "Hostname/IP does not match certificate's altnames: Host: db.example. is not in the cert's altnames: DNS:other.example",
        {
          cert: { subjectaltname: 'DNS:other.example' },
        },
      ),
    );
    expect(fromHandshake).toBe(
      'the server\'s TLS certificate does not name the host "db.example" in the URL (it names ' +
        'DNS:other.example; HANDSHAKE_SSL_ERROR). With ssl=verify_identity the URL must use a name the ' +
        'certificate lists: connect by that name, or use ssl=verify_ca to check the CA without the host name.',
    );
    // The check driver-connection.ts makes for an IP address throws Node's own error.
    const fromNode = reason(
      'mysql://app@127.0.0.1/shop?ssl=verify_identity',
      Object.assign(new Error("Hostname/IP does not match certificate's altnames"), {
        code: 'ERR_TLS_CERT_ALTNAME_INVALID',
        cert: { subjectaltname: 'DNS:localhost' },
      }),
    );
    expect(fromNode).toContain('does not name the host "127.0.0.1" in the URL (it names DNS:localhost;');
  });

  it('on an unencrypted 1045, says MariaDB also answers so to servers that require TLS', () => {
    const denied = Object.assign(new Error("Access denied for user 'app'@'10.0.0.9' (using password: YES)"), {
      code: 'ER_ACCESS_DENIED_ERROR',
      errno: 1045,
      sqlMessage: "Access denied for user 'app'@'10.0.0.9' (using password: YES)",
    });
    const plain = connectFailure(config('mysql://app:pw-1234@db.example/shop'), denied).details.reason;
    expect(plain).toContain('ER_ACCESS_DENIED_ERROR 1045');
    expect(plain).toContain('(require_secure_transport=ON)');
    expect(plain).toContain('add ssl=required or ssl-ca=PATH to the URL.');
    const encrypted = connectFailure(config('mysql://app:pw-1234@db.example/shop?ssl=required'), denied);
    expect(encrypted.details.reason).not.toContain('require_secure_transport');
  });
});
