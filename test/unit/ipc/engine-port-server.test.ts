/**
 * The engine port end to end below Electron: a Node `MessageChannel` stands in for
 * `MessageChannelMain`, and the real dispatcher answers with a real AppSession on the demo project,
 * copied into a temp data folder.
 */
import { MessageChannel } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngineHandlers } from '../../../electron/commands/app/engine-handlers.ts';
import { openAppSession } from '../../../electron/commands/app/open-app-session.ts';
import {
  serveEnginePort,
  type EnginePortServer,
} from '../../../electron/transports/ipc/engine-port-server.ts';
import { fromNodeMessagePort } from '../../../electron/transports/ipc/message-port-like.ts';
import { EngineDispatcher } from '../../../electron/transports/rpc/engine-dispatcher.ts';
import { DEMO_SOURCE, PortClient, tempDataDir, valueOf } from './port-client.ts';

let data: ReturnType<typeof tempDataDir>;
let channel: MessageChannel;
let server: EnginePortServer;
let client: PortClient;
let logged: string[];

beforeEach(() => {
  data = tempDataDir();
  logged = [];
  const session = openAppSession({
    mode: 'desktop',
    env: { STRATUM_DATA_DIR: data.dir },
    cwd: data.dir,
    demo: true,
    demoSource: DEMO_SOURCE,
    dataDir: data.dir,
  });
  const dispatcher = new EngineDispatcher(createEngineHandlers(session), (m) => logged.push(m));
  channel = new MessageChannel();
  server = serveEnginePort(fromNodeMessagePort(channel.port1), dispatcher, { log: (m) => logged.push(m) });
  client = new PortClient(channel.port2);
});

afterEach(() => {
  server.close();
  channel.port2.close();
  data.remove();
});

describe('the engine port server', () => {
  it('answers a call with the envelope of the request with the same id', async () => {
    const info = valueOf<{ mode: string; project: { root: string } }>(await client.call('app.info'));
    expect(info.mode).toBe('desktop');
    expect(info.project.root.startsWith(data.dir)).toBe(true);
    const graph = valueOf<{ nodes: unknown[] }>(await client.call('revisions.list'));
    expect(graph.nodes).toHaveLength(12);
  });

  it('pushes an event of no call (project.changed) to the page', async () => {
    await client.call('app.info');
    server.push({ kind: 'project.changed' });
    await expect.poll(() => client.events).toEqual([{ kind: 'project.changed' }]);
  });

  it('answers concurrent calls each under its own id', async () => {
    await client.call('app.info');
    const [a, b] = await Promise.all([
      client.call('revisions.show', { revision: 'a787cda37d02' }),
      client.call('revisions.show', { revision: 'd35d1c833a77' }),
    ]);
    type Detail = { node: { revision: string } };
    expect(valueOf<Detail>(a!).node.revision).toBe('a787cda37d02');
    expect(valueOf<Detail>(b!).node.revision).toBe('d35d1c833a77');
  });

  it('turns invalid input into an INVALID_INPUT envelope, without calling the engine', async () => {
    const result = await client.call('revisions.show', { revision: 42, extra: true });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('INVALID_INPUT');
    expect(result.error.details).toMatchObject({ method: 'revisions.show' });
  });

  it('answers an unknown method with USAGE', async () => {
    const result = await client.call('app.quit');
    expect(result).toMatchObject({ ok: false, error: { code: 'USAGE' } });
  });

  it('refuses a malformed request that has an id, and logs one that has none', async () => {
    const result = await client.send({ id: 7, method: 12, input: {} });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    client.post({ method: 'app.info' });
    client.post('hello');
    await client.call('revisions.list'); // messages are handled in order: the two above are done
    expect(logged.filter((m) => m.includes('dropped a message'))).toHaveLength(2);
  });

  it('streams the events of migrations.run before its answer', async () => {
    await client.call('app.info');
    const runId = 'run_port_test_1';
    const result = await client.call('migrations.run', {
      connectionId: 'env:local',
      kind: 'upgrade',
      target: 'heads',
      runId,
    });
    const value = valueOf<{ report: { ok: boolean; steps: { status: string }[] } }>(result);
    expect(value.report.ok).toBe(true);
    expect(value.report.steps.map((s) => s.status)).toEqual(['applied', 'applied', 'applied']);

    expect(client.events.every((e) => e.kind === 'run.event' && e.runId === runId)).toBe(true);
    const kinds = client.events.map((e) => (e.kind === 'run.event' ? e.event.kind : e.kind));
    expect(kinds[0]).toBe('lockAcquired');
    expect(kinds).toContain('runStarted');
    expect(kinds.filter((k) => k === 'stepFinished')).toHaveLength(3);
    expect(kinds.at(-1)).toBe('runFinished');
    // Every event arrived before the reply: app.info's reply, the events, then the run's reply.
    expect(client.received).toHaveLength(client.events.length + 2);
    expect(client.received.at(-1)).toMatchObject({ id: 2, result: { ok: true } });
  });

  it('stops answering once closed', async () => {
    server.close();
    client.post({ id: 99, method: 'app.info', input: {} });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(client.received).toEqual([]);
  });
});
