/**
 * The app's engine side in process, for integration tests: a real {@link AppSession} over a temp
 * data folder, its handlers behind the real {@link EngineDispatcher}, and an in-memory transport
 * that sends every input and answer through JSON like the real transports do (STYLE.md §F.5). Plus
 * temp copies of the built-in demo project to change freely. Nothing is written outside temp dirs.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, expect } from 'vitest';
import type { EngineInput, EngineMethod, EngineOutput } from '../../shared/contract/engine-contract.ts';
import type { RunEngineEvent } from '../../shared/contract/engine-events.ts';
import type { EngineResult } from '../../shared/contract/engine-result.ts';
import type { ErrorPayload } from '../../shared/model/run-event.ts';
import type { AppSession } from '../../electron/commands/app/app-session.ts';
import { createEngineHandlers } from '../../electron/commands/app/engine-handlers.ts';
import { openAppSession } from '../../electron/commands/app/open-app-session.ts';
import { SessionPasswordVault, type PasswordVault } from '../../electron/node/password-vault.ts';
import { EngineDispatcher } from '../../electron/transports/rpc/engine-dispatcher.ts';

/** The demo's revisions the tests talk about (resources/demo/migrations). */
export const DEMO = {
  /** The head of the demo graph. */
  head: '07c4ef33eb9e',
  /** The merge the demo database is upgraded to on first launch. */
  start: 'ddc82543fe3b',
  /** Pending after the first launch, oldest first. */
  pending: ['288e26f3e7ab', '91a7b03d14eb', '07c4ef33eb9e'],
  /** The demo's one environment (stratum.json `local`: `sqlite:./demo.db`). */
  local: 'env:local',
} as const;

/** The shipped demo project (never written to: the session copies it into its data folder). */
export const DEMO_SOURCE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../resources/demo');

const tempDirs: string[] = [];

/** A new temp directory, deleted by {@link removeTempDirs}. */
export function tempDir(label: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `stratum-${label}-`));
  tempDirs.push(dir);
  return dir;
}

/** Deletes every directory {@link tempDir} made (call it in `afterEach` / `afterAll`). */
export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A fresh run id, as the renderer makes one. */
export function newRunId(): string {
  return `run_${randomBytes(8).toString('hex')}`;
}

/** What {@link openHarness} takes. */
export interface HarnessOptions {
  /** Default: a new temp folder. Pass one to reopen the same data (a restarted app). */
  readonly dataDir?: string;
  /** A project to open first; absent: the demo opens on the first `app.info`. */
  readonly project?: string;
  readonly vault?: PasswordVault;
  readonly mode?: 'desktop' | 'browser';
}

/** The engine side of one app window, driven through the dispatcher. */
export interface AppHarness {
  readonly session: AppSession;
  readonly dataDir: string;
  /** Every event the handlers emitted, in order. */
  readonly events: RunEngineEvent[];
  /** What the dispatcher logged (our own bugs). */
  readonly logged: string[];
  /** Every envelope answered so far, as the JSON the client received: for "never leaks" checks. */
  readonly wire: string[];
  /** Called with each event as it is emitted (for a test that cancels mid-run). */
  onEvent: ((event: RunEngineEvent) => void) | null;
  /** Calls `method` and returns the envelope. */
  call<M extends EngineMethod>(method: M, input: EngineInput<M>): Promise<EngineResult<EngineOutput<M>>>;
  /** Calls `method` with anything (invalid inputs). */
  callRaw(method: string, input: unknown): Promise<EngineResult<unknown>>;
  /** Calls `method` and returns its value; fails with the error envelope otherwise. */
  ok<M extends EngineMethod>(method: M, input: EngineInput<M>): Promise<EngineOutput<M>>;
  /** Calls `method` and returns its error; fails when it succeeds. */
  fail<M extends EngineMethod>(method: M, input: EngineInput<M>): Promise<ErrorPayload>;
}

/** A real session over a temp data folder (`env` is empty: nothing leaks in from the machine). */
export function openHarness(options: HarnessOptions = {}): AppHarness {
  const dataDir = options.dataDir ?? path.join(tempDir('app-data'), 'data');
  const session = openAppSession({
    mode: options.mode ?? 'browser',
    env: {},
    cwd: dataDir,
    project: options.project,
    demo: options.project === undefined,
    demoSource: DEMO_SOURCE,
    dataDir,
    vault: options.vault ?? new SessionPasswordVault(),
  });
  const events: RunEngineEvent[] = [];
  const logged: string[] = [];
  const wire: string[] = [];
  const dispatcher = new EngineDispatcher(createEngineHandlers(session), (m) => logged.push(m));
  const harness: AppHarness = {
    session,
    dataDir,
    events,
    logged,
    wire,
    onEvent: null,
    async callRaw(method, input) {
      const sent: unknown = input === undefined ? undefined : JSON.parse(JSON.stringify(input));
      const result = await dispatcher.dispatch(method, sent, {
        emit: (event) => {
          // Calls emit their runs' events only; `project.changed` comes from the transports.
          if (event.kind !== 'run.event') throw new Error(`a call emitted ${event.kind}`);
          const received = JSON.parse(JSON.stringify(event)) as RunEngineEvent;
          events.push(received);
          harness.onEvent?.(received);
        },
      });
      const text = JSON.stringify(result);
      wire.push(text);
      return JSON.parse(text) as EngineResult<unknown>;
    },
    call: (method, input) => harness.callRaw(method, input) as never,
    async ok(method, input) {
      const result = await harness.call(method, input);
      if (!result.ok) throw new Error(`${method} failed: ${JSON.stringify(result.error, null, 2)}`);
      return result.value;
    },
    async fail(method, input) {
      const result = await harness.call(method, input);
      if (result.ok) throw new Error(`${method} succeeded: ${JSON.stringify(result.value)}`);
      return result.error;
    },
  };
  return harness;
}

/**
 * A harness factory for one test file: after each test, every harness it opened must have logged
 * nothing (no call hit a bug of ours, INTERNAL), and the temp dirs are deleted.
 */
export function harnessPerTest(): (options?: HarnessOptions) => AppHarness {
  const opened: AppHarness[] = [];
  afterEach(() => {
    for (const h of opened.splice(0)) expect(h.logged, 'the dispatcher logged an internal error').toEqual([]);
    removeTempDirs();
  });
  return (options) => {
    const h = openHarness(options);
    opened.push(h);
    return h;
  };
}

/** Runs `kind` to `target` on a connection (the demo's `local` by default) and returns the result. */
export function runTo(
  h: AppHarness,
  kind: 'upgrade' | 'downgrade' | 'stamp',
  target: string,
  connectionId: string = DEMO.local,
): Promise<EngineOutput<'migrations.run'>> {
  return h.ok('migrations.run', { connectionId, kind, target, runId: newRunId() });
}

/** Reads the SQLite database `file` with a read-only connection of its own. */
export function readSqlite<T>(file: string, read: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** The tables of the SQLite database `file`, by name. */
export function sqliteTables(file: string): string[] {
  return readSqlite(file, (db) =>
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all(),
  ) as string[];
}

/** A temp copy of the demo project (without a database): its `local` environment is `sqlite:./demo.db`. */
export function copyDemo(): string {
  const root = path.join(tempDir('demo-copy'), 'shop');
  cpSync(DEMO_SOURCE, root, { recursive: true, filter: (file) => path.basename(file) !== 'demo.db' });
  return root;
}

/** One revision file to add to a project. */
export interface ExtraRevision {
  readonly id: string;
  readonly parents: readonly string[];
  readonly message: string;
  /** `2026-03-01T09:00` style; the file name's timestamp comes from it. */
  readonly created: string;
  readonly up: string;
  readonly down?: string;
}

/** Writes `revision` into `root/migrations`; returns its project-relative path and text. */
export function addRevision(root: string, revision: ExtraRevision): { file: string; text: string } {
  const stamp = revision.created.replace(/[-:]/g, '').slice(0, 13);
  const slug = revision.message.toLowerCase().replace(/[^a-z0-9]+/g, '_');
  const file = `migrations/${stamp}_${revision.id}_${slug}.sql`;
  const text = [
    `-- revision: ${revision.id}`,
    `-- parents: ${revision.parents.join(' ')}`,
    `-- message: ${revision.message}`,
    `-- created: ${revision.created}:00Z`,
    '',
    '-- migrate:up',
    revision.up,
    ...(revision.down === undefined ? [] : ['', '-- migrate:down', revision.down]),
    '',
  ].join('\n');
  writeFileSync(path.join(root, file), text);
  return { file, text };
}

/** A temp project of `dialect` without environments, holding `revisions`. */
export function serverProject(dialect: 'postgres' | 'mysql', revisions: readonly ExtraRevision[]): string {
  const root = path.join(tempDir(`${dialect}-project`), `${dialect}-shop`);
  mkdirSync(path.join(root, 'migrations'), { recursive: true });
  writeFileSync(
    path.join(root, 'stratum.json'),
    `${JSON.stringify({ migrations: 'migrations', dialect })}\n`,
  );
  for (const revision of revisions) addRevision(root, revision);
  return root;
}
