/** What the drivers' TLS errors say about the server's certificate, for connection messages. */

/**
 * The names in the server certificate that Node attaches to its host name mismatch error
 * (`ERR_TLS_CERT_ALTNAME_INVALID`): the subjectAltName list (`DNS:a, IP Address:b`), else `CN=…`,
 * else `other names`.
 */
export function certificateNames(error: unknown): string {
  const cert =
    typeof error === 'object' && error !== null
      ? (error as { cert?: { subjectaltname?: unknown; subject?: { CN?: unknown } } }).cert
      : undefined;
  if (typeof cert?.subjectaltname === 'string' && cert.subjectaltname !== '') return cert.subjectaltname;
  if (typeof cert?.subject?.CN === 'string') return `CN=${cert.subject.CN}`;
  return 'other names';
}
