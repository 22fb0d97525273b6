/**
 * `stratum serve`'s HTTP and WebSocket server (DESIGN.md §7), started in process on a temp static
 * folder with a real session on the demo, and checked with real HTTP requests (http.request, so
 * the Host header can lie) and a real WebSocket client: loopback only, token, Host and Origin
 * checks, limits, path traversal, CSP, and events. Then the real CLI in a child process.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import WebSocket from 'ws';
import type { RunEngineEvent } from '../../shared/contract/engine-events.ts';
import { createEngineHandlers } from '../../electron/commands/app/engine-handlers.ts';
import { openAppSession } from '../../electron/commands/app/open-app-session.ts';
import { SessionPasswordVault } from '../../electron/node/password-vault.ts';
import {
  BROWSER_HOST,
  MAX_BODY_BYTES,
  startBrowserServer,
  type BrowserServer,
} from '../../electron/transports/http/browser-server.ts';
import { EngineDispatcher } from '../../electron/transports/rpc/engine-dispatcher.ts';
import {
  addRevision,
  copyDemo,
  DEMO,
  DEMO_SOURCE,
  newRunId,
  removeTempDirs,
  tempDir,
} from '../support/app-harness.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const INDEX_HTML = '<!doctype html><title>Stratum test page</title>\n';
const APP_JS = 'console.log("stratum");\n';
const SECRET = 'top secret next to the static folder';
const SLOW_TABLES = ['slow_1', 'slow_2', 'slow_3', 'slow_4', 'slow_5', 'slow_6', 'slow_7', 'slow_8'];

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One raw HTTP request to the server: `path` is sent exactly as given (no normalizing). */
function send(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: BROWSER_HOST,
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: { host: `${BROWSER_HOST}:${port}`, ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Sends `text` on a new TCP connection; resolves with the first line of the answer. */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: BROWSER_HOST, port }, () => socket.write(text));
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      if (answer.includes('\r\n')) {
        socket.destroy();
        resolve(answer.slice(0, answer.indexOf('\r\n')));
      }
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

let server: BrowserServer;
let root: string;
let staticDir: string;
const logged: string[] = [];

function rpc(method: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return send(server.port, {
    method: 'POST',
    path: `/rpc/${method}`,
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

function json(reply: Reply): {
  ok: boolean;
  value?: unknown;
  error?: { code: string; message: string; details: unknown };
} {
  expect(reply.status).toBe(200);
  expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
  return JSON.parse(reply.body) as never;
}

beforeAll(async () => {
  root = tempDir('browser-server');
  staticDir = path.join(root, 'static');
  mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
  writeFileSync(path.join(staticDir, 'index.html'), INDEX_HTML);
  writeFileSync(path.join(staticDir, 'assets', 'app.js'), APP_JS);
  writeFileSync(path.join(root, 'secret.txt'), SECRET);
  const session = openAppSession({
    mode: 'browser',
    env: {},
    cwd: root,
    demo: true,
    demoSource: DEMO_SOURCE,
    dataDir: path.join(root, 'data'),
    vault: new SessionPasswordVault(),
  });
  const dispatcher = new EngineDispatcher(createEngineHandlers(session), (m) => logged.push(m));
  server = await startBrowserServer({ dispatcher, staticDir, port: 0 });
});

afterAll(async () => {
  await server?.close();
  removeTempDirs();
});

afterEach(() => {
  expect(logged).toEqual([]);
});

describe('the browser-mode server', () => {
  it('listens on 127.0.0.1 only, and gives a URL with the token in its fragment', async () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`);
    // Other addresses of this machine, even other loopback ones, are refused.
    const others = [
      '127.0.0.2',
      ...Object.values(networkInterfaces())
        .flat()
        .filter((a) => a !== undefined && !a.internal && a.family === 'IPv4')
        .map((a) => a!.address),
    ];
    for (const address of others) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = connect({ host: address, port: server.port });
        socket.on('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
      expect(outcome, address).toBe('ECONNREFUSED');
    }
  });

  describe('API', () => {
    it('refuses a call without the token, or with a wrong one (401)', async () => {
      const none = await send(server.port, { method: 'POST', path: '/rpc/app.info', body: '{}' });
      expect(none.status).toBe(401);
      expect(none.body).toContain('Missing or wrong token');
      for (const authorization of [
        `Bearer ${server.token}x`,
        `Bearer ${server.token.slice(1)}`,
        server.token,
        'Bearer ',
      ]) {
        expect((await rpc('app.info', {}, { authorization })).status, authorization).toBe(401);
      }
    });

    it('answers a call with the right token with a 200 envelope', async () => {
      const reply = await rpc('app.info', {});
      expect(reply.headers['cache-control']).toBe('no-store');
      expect(reply.headers['x-content-type-options']).toBe('nosniff');
      expect(json(reply)).toMatchObject({ ok: true, value: { mode: 'browser', project: { isDemo: true } } });
      // An empty body is an empty input.
      expect(json(await rpc('revisions.list', ''))).toMatchObject({ ok: true });
    });

    it('refuses a foreign Host (DNS rebinding) even with the token, and accepts localhost', async () => {
      for (const host of [
        `evil.example:${server.port}`,
        'evil.example',
        `127.0.0.1:${server.port + 1}`,
        `127.0.0.1:${server.port}.evil.example`,
        '127.0.0.1',
      ]) {
        const reply = await rpc('app.info', {}, { host });
        expect(reply.status, host).toBe(403);
      }
      expect(json(await rpc('app.info', {}, { host: `localhost:${server.port}` })).ok).toBe(true);
      expect(json(await rpc('app.info', {}, { host: `LOCALHOST:${server.port}` })).ok).toBe(true);
    });

    it('refuses a foreign Origin and accepts its own', async () => {
      for (const origin of [
        `http://evil.example:${server.port}`,
        'null',
        `https://127.0.0.1:${server.port}`,
        'http://127.0.0.1',
      ]) {
        expect((await rpc('app.info', {}, { origin })).status, origin).toBe(403);
      }
      for (const origin of [`http://127.0.0.1:${server.port}`, `http://localhost:${server.port}`]) {
        expect(json(await rpc('app.info', {}, { origin })).ok, origin).toBe(true);
      }
    });

    it('takes only POST (405)', async () => {
      const reply = await send(server.port, {
        path: '/rpc/app.info',
        headers: { authorization: `Bearer ${server.token}` },
      });
      expect(reply.status).toBe(405);
      expect(reply.headers.allow).toBe('POST');
    });

    it('refuses a body over the limit (413) and still serves the next request', async () => {
      const body = JSON.stringify({ message: 'x'.repeat(MAX_BODY_BYTES + 10) });
      const reply = await rpc('revisions.merge', body);
      expect(reply.status).toBe(413);
      expect(reply.body).toContain('too large');
      expect(json(await rpc('app.info', {})).ok).toBe(true);
    });

    it('answers a body that is not JSON, an unknown method and a bad input with envelopes', async () => {
      expect(json(await rpc('app.info', '{"oops": '))).toEqual({
        ok: false,
        error: {
          code: 'INVALID_INPUT',
          message: 'The request body is not JSON.',
          details: { method: 'app.info', issues: [] },
        },
      });
      expect(json(await rpc('app.drop', {})).error).toMatchObject({
        code: 'USAGE',
        details: { argument: 'app.drop' },
      });
      expect(json(await rpc('revisions.show', { revision: 7 })).error).toMatchObject({
        code: 'INVALID_INPUT',
        details: { issues: [{ path: 'revision' }] },
      });
      expect(json(await rpc('revisions.show', { revision: 'ffffffffffff' })).error?.code).toBe(
        'REVISION_NOT_FOUND',
      );
    });

    it('answers a request target that is no URL with 400, before any check, and keeps serving', async () => {
      // `new URL` throws on these; uncaught, that ended the server for anyone on the machine.
      for (const target of ['http://[', '//[']) {
        expect((await send(server.port, { path: target })).status, target).toBe(400);
        const upgrade = await rawRequest(
          server.port,
          `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: Upgrade\r\n` +
            'Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
            `Sec-WebSocket-Protocol: stratum.events, token.${server.token}\r\n\r\n`,
        );
        expect(upgrade).toMatch(/^HTTP\/1\.1 4\d\d /);
      }
      expect(json(await rpc('app.info', {})).ok).toBe(true);
    });

    it('survives a method name that is not valid percent-encoding', async () => {
      const reply = await rpc('%E0%A4%A', {});
      expect(json(reply).error).toMatchObject({ code: 'USAGE' });
      expect(json(await rpc('app.info', {})).ok).toBe(true);
    });
  });

  describe('static files', () => {
    it('serves the page and its assets with a strict CSP', async () => {
      const page = await send(server.port, { path: '/' });
      expect(page.status).toBe(200);
      expect(page.body).toBe(INDEX_HTML);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.headers['x-content-type-options']).toBe('nosniff');
      const csp = String(page.headers['content-security-policy']);
      const directives = new Map(
        csp.split(';').map((d) => {
          const [name, ...values] = d.trim().split(/\s+/);
          return [name!, values];
        }),
      );
      expect(directives.get('default-src')).toEqual(["'self'"]);
      expect(directives.get('script-src')).toEqual(["'self'"]);
      expect(directives.get('img-src')).toEqual(["'self'", 'data:']);
      expect(directives.get('worker-src')).toEqual(["'self'", 'blob:']);
      expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
      expect(directives.get('object-src')).toEqual(["'none'"]);
      // No remote origin anywhere: only this server's own WebSocket.
      const sources = [...directives.values()]
        .flat()
        .filter((v) => /^[a-z]+:\/\//i.test(v) || v.includes('*'));
      expect(sources).toEqual([`ws://127.0.0.1:${server.port}`, `ws://localhost:${server.port}`]);

      const asset = await send(server.port, { path: '/assets/app.js' });
      expect(asset).toMatchObject({ status: 200, body: APP_JS });
      expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(asset.headers['content-security-policy']).toBe(csp);
    });

    it('serves the page for app routes and 404 for missing files; refuses writes', async () => {
      expect((await send(server.port, { path: '/revisions/ddc8?x=1' })).body).toBe(INDEX_HTML);
      expect((await send(server.port, { path: '/assets/missing.js' })).status).toBe(404);
      expect((await send(server.port, { method: 'POST', path: '/index.html', body: 'x' })).status).toBe(403);
    });

    it('refuses a foreign Host on static files too (403)', async () => {
      const reply = await send(server.port, { path: '/', headers: { host: `evil.example:${server.port}` } });
      expect(reply.status).toBe(403);
      expect(reply.body).not.toContain('Stratum test page');
    });

    it.each([
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/assets/%2E%2E/%2E%2E/secret.txt',
      '/..%5csecret.txt',
      '//../secret.txt',
      '/assets/../../secret.txt',
    ])('never serves a file outside the folder: %s', async (raw) => {
      const reply = await send(server.port, { path: raw });
      expect(reply.body).not.toContain(SECRET);
      expect(reply.status).toBe(404);
    });
  });

  describe('WebSocket /events', () => {
    const wsUrl = (p = '/events') => `ws://127.0.0.1:${server.port}${p}`;

    /** Opens a socket; resolves with it once open, or with the HTTP status the server refused with. */
    function open(
      protocols: string[],
      options: { path?: string; origin?: string; host?: string } = {},
    ): Promise<{ socket: WebSocket } | { status: number }> {
      return new Promise((resolve, reject) => {
        const socket = new WebSocket(wsUrl(options.path), protocols, {
          ...(options.origin === undefined ? {} : { origin: options.origin }),
          ...(options.host === undefined ? {} : { headers: { host: options.host } }),
        });
        socket.on('open', () => resolve({ socket }));
        socket.on('unexpected-response', (_req, res) => {
          resolve({ status: res.statusCode ?? 0 });
          socket.terminate();
        });
        socket.on('error', (error) => reject(error));
      });
    }

    const token = () => `token.${server.token}`;

    it('refuses a socket without the token, with a wrong one, or from a foreign page', async () => {
      expect(await open([])).toEqual({ status: 401 });
      expect(await open(['stratum.events'])).toEqual({ status: 401 });
      expect(await open(['stratum.events', `token.${server.token}x`])).toEqual({ status: 401 });
      expect(await open(['stratum.events', token()], { origin: 'http://evil.example' })).toEqual({
        status: 403,
      });
      expect(await open(['stratum.events', token()], { host: `evil.example:${server.port}` })).toEqual({
        status: 403,
      });
      expect(await open(['stratum.events', token()], { path: '/other' })).toEqual({ status: 403 });
      expect(await open(['stratum.events', token()], { path: '/rpc/app.info' })).toEqual({ status: 403 });
    });

    it('connects with the token protocol and receives broadcast events, run events included', async () => {
      const opened = await open(['stratum.events', token()], { origin: `http://127.0.0.1:${server.port}` });
      if (!('socket' in opened)) throw new Error(`refused: ${opened.status}`);
      const { socket } = opened;
      expect(socket.protocol).toBe('stratum.events');
      const received: RunEngineEvent[] = [];
      socket.on('message', (data: Buffer) =>
        received.push(JSON.parse(data.toString('utf8')) as RunEngineEvent),
      );

      const event: RunEngineEvent = {
        kind: 'run.event',
        runId: 'run_broadcast1',
        event: { kind: 'lockAcquired' },
      };
      server.broadcast(event);
      await waitFor(() => received.length === 1);
      expect(received).toEqual([event]);

      const runId = newRunId();
      expect(json(await rpc('app.info', {})).ok).toBe(true);
      const run = json(
        await rpc('migrations.run', {
          connectionId: 'env:local',
          kind: 'upgrade',
          target: '288e26f3e7ab',
          runId,
        }),
      );
      expect(run).toMatchObject({ ok: true, value: { report: { ok: true } } });
      await waitFor(() => received.some((e) => e.event.kind === 'runFinished'));
      const ofRun = received.filter((e) => e.runId === runId).map((e) => e.event.kind);
      expect(ofRun[0]).toBe('lockAcquired');
      expect(ofRun).toContain('statementStarted');
      expect(ofRun.at(-1)).toBe('runFinished');
      socket.close();
    });

    // The run and the cancel travel separately, as from a real page: the cancel is read between
    // statements because the SQLite session yields to the event loop after each one.
    it('lets run.cancel over HTTP stop a slow SQLite run while it is running', async () => {
      const project = copyDemo();
      addRevision(project, {
        id: 'c0ffee5107a1',
        parents: [DEMO.head],
        message: 'eight slow statements',
        created: '2026-03-01T09:00',
        // About 0.2 s each. This test's client shares the server's event loop, so the cancel needs a
        // few of the turns the session yields between statements to get across.
        up: SLOW_TABLES.map(
          (t) =>
            `CREATE TABLE ${t} AS WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 1500000) SELECT sum(x) AS total FROM n;`,
        ).join('\n'),
        down: SLOW_TABLES.map((t) => `DROP TABLE ${t};`).join('\n'),
      });
      expect(json(await rpc('project.open', { path: project })).ok).toBe(true);
      onTestFinished(async () => {
        expect(json(await rpc('project.openDemo', {})).ok).toBe(true);
      });
      const upTo = json(
        await rpc('migrations.run', {
          connectionId: 'env:local',
          kind: 'upgrade',
          target: DEMO.head,
          runId: newRunId(),
        }),
      );
      expect(upTo.ok).toBe(true);

      const opened = await open(['stratum.events', token()]);
      if (!('socket' in opened)) throw new Error(`refused: ${opened.status}`);
      const runId = newRunId();
      let cancel: Promise<Reply> | null = null;
      opened.socket.on('message', (data: Buffer) => {
        const e = JSON.parse(data.toString('utf8')) as RunEngineEvent;
        if (cancel === null && e.runId === runId && e.event.kind === 'statementStarted')
          cancel = rpc('run.cancel', { runId });
      });
      const result = json(
        await rpc('migrations.run', { connectionId: 'env:local', kind: 'upgrade', target: 'heads', runId }),
      );
      opened.socket.close();
      expect(cancel).not.toBeNull();
      const cancelled = json(await cancel!);
      expect(result).toMatchObject({
        ok: true,
        value: { report: { cancelled: true, headsAfter: [DEMO.head] } },
      });
      expect(cancelled).toEqual({ ok: true, value: { cancelled: true } });
      const { steps } = (
        result.value as { report: { steps: { statementsDone: number; rolledBack: boolean }[] } }
      ).report;
      expect(steps[0]!.statementsDone).toBeLessThan(SLOW_TABLES.length);
      expect(steps[0]!.rolledBack).toBe(true);
    });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('stratum serve (the real CLI, in a child process)', () => {
  /**
   * A copy of the package's sources with node_modules linked in, so the CLI's `out/renderer` is the
   * copy's (the repository's own build is neither needed nor touched).
   */
  function packageCopy(): string {
    const pkg = path.join(tempDir('cli-package'), 'stratum');
    for (const part of ['electron', 'shared', 'resources', 'package.json']) {
      cpSync(path.join(REPO, part), path.join(pkg, part), { recursive: true });
    }
    symlinkSync(path.join(REPO, 'node_modules'), path.join(pkg, 'node_modules'), 'dir');
    return pkg;
  }

  function serve(pkg: string) {
    const dataDir = tempDir('cli-data');
    const child = spawn(
      path.join(REPO, 'node_modules', '.bin', 'node'),
      [path.join(pkg, 'electron', 'transports', 'cli', 'main.ts'), 'serve', '--demo', '--port', '0'],
      {
        cwd: dataDir,
        env: {
          PATH: process.env.PATH,
          HOME: dataDir,
          STRATUM_DATA_DIR: dataDir,
          NODE_DISABLE_COMPILE_CACHE: '1',
          NO_COLOR: '1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, exited, out: () => stdout, err: () => stderr };
  }

  it('fails with a clear "not built" message and exit code 2 when the renderer is not built', async () => {
    const pkg = packageCopy();
    const cli = serve(pkg);
    expect(await cli.exited).toBe(2);
    expect(cli.err()).toContain('The app is not built');
    expect(cli.err()).toContain(path.join(pkg, 'out', 'renderer'));
    expect(cli.err()).toContain('npm run build');
    expect(cli.out()).toBe('');
  });

  it('serves the demo on 127.0.0.1 with a token, and stops on Ctrl-C', async () => {
    const pkg = packageCopy();
    mkdirSync(path.join(pkg, 'out', 'renderer'), { recursive: true });
    writeFileSync(path.join(pkg, 'out', 'renderer', 'index.html'), INDEX_HTML);
    const cli = serve(pkg);
    try {
      await waitFor(() => /#token=/.test(cli.out()), 30_000);
      const match = /http:\/\/127\.0\.0\.1:(\d+)\/#token=([A-Za-z0-9_-]+)/.exec(cli.out());
      expect(match, cli.out()).not.toBeNull();
      const port = Number(match![1]);
      expect(cli.out()).toContain('the built-in demo project');
      expect((await send(port, { path: '/' })).body).toBe(INDEX_HTML);
      const info = await send(port, {
        method: 'POST',
        path: '/rpc/app.info',
        headers: { authorization: `Bearer ${match![2]}` },
        body: '{}',
      });
      expect(JSON.parse(info.body)).toMatchObject({
        ok: true,
        value: { mode: 'browser', project: { isDemo: true } },
      });
      expect((await send(port, { method: 'POST', path: '/rpc/app.info', body: '{}' })).status).toBe(401);
    } finally {
      cli.child.kill('SIGINT');
    }
    expect(await cli.exited).toBe(0);
  });
});
