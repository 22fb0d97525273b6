/**
 * `stratum serve`: the app in a normal browser (DESIGN.md §7). One HTTP server on 127.0.0.1 serves
 * the built renderer, answers contract calls at `POST /rpc/<method>` and pushes run events over a
 * WebSocket at `/events`. Every API request is checked for Host, Origin and the random token
 * (request-guard.ts); the token travels in the URL's fragment, which browsers never send.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EngineEvent } from '../../../shared/contract/engine-events.ts';
import type { EngineDispatcher } from '../rpc/engine-dispatcher.ts';
import {
  bearerToken,
  checkHost,
  checkOrigin,
  checkToken,
  EVENTS_PROTOCOL,
  protocolToken,
  type Refusal,
} from './request-guard.ts';
import { sendStatic } from './static-files.ts';

/** How to start the server. */
export interface BrowserServerOptions {
  readonly dispatcher: EngineDispatcher;
  /** The built renderer (`out/renderer`). */
  readonly staticDir: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Fixed token (tests); random by default. */
  readonly token?: string;
}

/** A running browser-mode server. */
export interface BrowserServer {
  readonly port: number;
  readonly token: string;
  /** The URL to open, with the token in its fragment. */
  readonly url: string;
  /** Sends an event to every connected page. */
  broadcast(event: EngineEvent): void;
  close(): Promise<void>;
}

/** The largest request body: a revision file the editor saves (up to 5 MB of text) with room for JSON escapes. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** Host of every browser-mode server: loopback only, never a public interface. */
export const BROWSER_HOST = '127.0.0.1';

/** Starts the server; resolves once it listens. */
export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 64 * 1024,
    handleProtocols: (protocols) => (protocols.has(EVENTS_PROTOCOL) ? EVENTS_PROTOCOL : false),
  });
  let port = 0;
  const broadcast = (event: EngineEvent): void => {
    const text = JSON.stringify(event);
    for (const socket of sockets) if (socket.readyState === socket.OPEN) socket.send(text);
  };

  const server = createServer((req, res) => {
    handleRequest(req, res, {
      port,
      token,
      dispatcher: options.dispatcher,
      staticDir: options.staticDir,
      broadcast,
    });
  });
  server.on('upgrade', (req, socket, head) => {
    const protocols = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    const refusal =
      checkHost(req.headers.host, port) ??
      checkOrigin(req.headers.origin, port) ??
      (requestUrl(req)?.pathname === '/events' ? null : { status: 403, reason: 'Not found' }) ??
      checkToken(protocolToken(protocols), token);
    if (refusal !== null) {
      socket.end(
        `HTTP/1.1 ${refusal.status} ${refusal.status === 401 ? 'Unauthorized' : 'Forbidden'}\r\n\r\n`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      // The page only listens; anything it sends is ignored.
      ws.on('message', () => {});
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, BROWSER_HOST, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    token,
    url: `http://${BROWSER_HOST}:${port}/#token=${token}`,
    broadcast,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface RequestContext {
  readonly port: number;
  readonly token: string;
  readonly dispatcher: EngineDispatcher;
  readonly staticDir: string;
  readonly broadcast: (event: EngineEvent) => void;
}

function handleRequest(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): void {
  const hostRefusal = checkHost(req.headers.host, ctx.port);
  if (hostRefusal !== null) return refuse(res, hostRefusal);
  const url = requestUrl(req);
  if (url === null) {
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
    res.end('Malformed request URL.\n');
    return;
  }
  if (!url.pathname.startsWith('/rpc/')) {
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return refuse(res, { status: 403, reason: 'Read-only path.' });
    sendStatic(ctx.staticDir, url.pathname, res, ctx.port);
    return;
  }
  const refusal =
    checkOrigin(req.headers.origin, ctx.port) ??
    checkToken(bearerToken(req.headers.authorization), ctx.token);
  if (refusal !== null) return refuse(res, refusal);
  if (req.method !== 'POST') {
    res.writeHead(405, { allow: 'POST', 'content-type': 'text/plain; charset=utf-8' });
    res.end('Use POST.\n');
    return;
  }
  const method = safeDecode(url.pathname.slice('/rpc/'.length));
  readBody(req)
    .then(async (body) => {
      let input: unknown;
      try {
        input = body === '' ? {} : JSON.parse(body);
      } catch {
        return sendJson(res, {
          ok: false,
          error: {
            code: 'INVALID_INPUT',
            message: 'The request body is not JSON.',
            details: { method, issues: [] },
          },
        });
      }
      const result = await ctx.dispatcher.dispatch(method, input, { emit: ctx.broadcast });
      sendJson(res, result);
    })
    .catch((error: Error & { status?: number }) => {
      res.writeHead(error.status ?? 400, {
        'content-type': 'text/plain; charset=utf-8',
        connection: 'close',
      });
      res.end(`${error.message}\n`);
    });
}

/**
 * The request's URL, or null when it does not parse. `new URL` throws on a request target such as
 * `http://[`, which any local program can send before any check: uncaught, that ended the server.
 */
function requestUrl(req: IncomingMessage): URL | null {
  try {
    return new URL(req.url ?? '/', `http://${BROWSER_HOST}`);
  } catch {
    return null;
  }
}

/** A method name as sent; a malformed `%` escape stays as written (and names no method). */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // decodeURIComponent throws URIError: uncaught, it ended the whole `stratum serve` process.
    return text;
  }
}

function refuse(res: ServerResponse, refusal: Refusal): void {
  res.writeHead(refusal.status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`${refusal.reason}\n`);
}

function sendJson(res: ServerResponse, value: unknown): void {
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(JSON.stringify(value));
}

/**
 * The request's body as text. A body over {@link MAX_BODY_BYTES} is read to its end but not kept,
 * then refused with 413: destroying the request at once (as this did) reset the connection before
 * the 413 could be sent, and the client saw only "socket hang up".
 */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) {
        reject(Object.assign(new Error('Request body too large (over 1 MB).'), { status: 413 }));
      } else {
        resolve(Buffer.concat(chunks).toString('utf8'));
      }
    });
    req.on('error', reject);
  });
}
