/**
 * Who may talk to `stratum serve` (DESIGN.md §7): it binds 127.0.0.1 only, and every API request
 * must carry the random token and come from this server's own origin. The Host check stops DNS
 * rebinding (a foreign site resolving its name to 127.0.0.1); the Origin check stops other pages
 * in the browser from calling the API; the token stops other local users and programs.
 */
import { timingSafeEqual } from 'node:crypto';

/** Why a request was refused, with the HTTP status to answer. */
export interface Refusal {
  readonly status: 401 | 403;
  readonly reason: string;
}

/** The hosts a request may name: this server's loopback address and port. */
export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

/** Refuses a `Host` header that is not this server (DNS rebinding). */
export function checkHost(host: string | undefined, port: number): Refusal | null {
  if (host !== undefined && allowedHosts(port).has(host.toLowerCase())) return null;
  return { status: 403, reason: `Host "${host ?? ''}" is not this server.` };
}

/**
 * Refuses an `Origin` that is not this server. Requests without one (curl, the CLI) pass here and
 * still need the token.
 */
export function checkOrigin(origin: string | undefined, port: number): Refusal | null {
  if (origin === undefined) return null;
  const allowed = [...allowedHosts(port)].map((h) => `http://${h}`);
  if (allowed.includes(origin.toLowerCase())) return null;
  return { status: 403, reason: `Origin "${origin}" may not use this server.` };
}

/** Refuses a request whose token (Bearer header or WebSocket protocol) is not `expected`. */
export function checkToken(presented: string | null, expected: string): Refusal | null {
  if (presented !== null) {
    const a = Buffer.from(presented);
    const b = Buffer.from(expected);
    if (a.length === b.length && timingSafeEqual(a, b)) return null;
  }
  return { status: 401, reason: 'Missing or wrong token: open the URL that `stratum serve` printed.' };
}

/** The token of an `Authorization: Bearer …` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

/** The WebSocket subprotocol that carries the token (browsers cannot set headers on WebSockets). */
export const TOKEN_PROTOCOL_PREFIX = 'token.';
/** The subprotocol the server answers with. */
export const EVENTS_PROTOCOL = 'stratum.events';

/** The token inside a `Sec-WebSocket-Protocol` list, or null. */
export function protocolToken(protocols: Iterable<string>): string | null {
  for (const p of protocols)
    if (p.startsWith(TOKEN_PROTOCOL_PREFIX)) return p.slice(TOKEN_PROTOCOL_PREFIX.length);
  return null;
}
