/**
 * One handler per contract method (shared/contract/engine-contract.ts), over an {@link AppSession}.
 * Transports validate inputs and outputs and call these (electron/transports/rpc); the handlers
 * only compose commands (STYLE.md §A, Beekeeper's handler maps).
 */
import type {
  EngineMethod,
  EngineOutput,
  EngineParsedInput,
} from '../../../shared/contract/engine-contract.ts';
import { deleteConnection, saveConnection, testConnection } from './app-connections.ts';
import { exportSql } from './app-export.ts';
import { appInfo, openDemo, openProjectFolder } from './app-project.ts';
import {
  checkFile,
  createRevision,
  listRevisions,
  mergeHeads,
  readFile,
  saveFile,
  showRevision,
} from './app-revisions.ts';
import {
  cancelRun,
  databaseState,
  listJournal,
  previewPlan,
  rehearsePlan,
  resolveDirtyStep,
  runMigrations,
  type CallContext,
} from './app-runs.ts';
import type { AppSession } from './app-session.ts';

export type { CallContext } from './app-runs.ts';

/** A handler for every method of the contract. */
export type EngineHandlers = {
  readonly [M in EngineMethod]: (
    input: EngineParsedInput<M>,
    ctx: CallContext,
  ) => Promise<EngineOutput<M>> | EngineOutput<M>;
};

/**
 * The handlers of `session`. Until a project is open, every call first opens the built-in demo
 * (DESIGN.md §7: first launch shows it), once, however many calls arrive together.
 */
export function createEngineHandlers(session: AppSession): EngineHandlers {
  let opening: Promise<unknown> | null = null;
  const ensureProject = async (): Promise<void> => {
    if (session.project !== null) return;
    opening ??= openDemo(session).finally(() => (opening = null));
    await opening;
  };
  const handlers: EngineHandlers = {
    'app.info': () => appInfo(session),
    'project.open': ({ path }) => openProjectFolder(session, path),
    'project.openDemo': () => openDemo(session),
    'revisions.list': () => listRevisions(session),
    'revisions.show': ({ revision }) => showRevision(session, revision),
    'revisions.merge': (input) => mergeHeads(session, input),
    'revisions.create': (input) => createRevision(session, input),
    'files.read': ({ file }) => readFile(session, file),
    'files.check': (input) => checkFile(session, input),
    'files.save': (input) => saveFile(session, input),
    'connections.list': async () => ({ connections: await session.listConnections() }),
    'connections.save': (draft) => saveConnection(session, draft),
    'connections.delete': ({ id }) => deleteConnection(session, id),
    'connections.test': (input) => testConnection(session, input),
    'database.state': ({ connectionId }) => databaseState(session, connectionId),
    'journal.list': (input) => listJournal(session, input),
    'plan.preview': (input) => previewPlan(session, input),
    'migrations.run': (input, ctx) => runMigrations(session, input, ctx),
    'plan.rehearse': (input, ctx) => rehearsePlan(session, input, ctx),
    'sql.export': (input) => exportSql(session, input),
    'run.cancel': ({ runId }) => cancelRun(session, runId),
    'dirty.resolve': (input, ctx) => resolveDirtyStep(session, input, ctx),
  };
  const opensProject = new Set<string>(['project.open', 'project.openDemo']);
  return Object.fromEntries(
    Object.entries(handlers).map(([method, handler]) => [
      method,
      opensProject.has(method)
        ? handler
        : async (input: never, ctx: CallContext) => {
            await ensureProject();
            return (handler as (i: never, c: CallContext) => unknown)(input, ctx);
          },
    ]),
  ) as unknown as EngineHandlers;
}
