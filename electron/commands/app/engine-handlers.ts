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
import { appInfo, openDemo, openProjectFolder } from './app-project.ts';
import { listRevisions, mergeHeads, showRevision } from './app-revisions.ts';
import {
  cancelRun,
  databaseState,
  listJournal,
  previewPlan,
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

/** The handlers of `session`. */
export function createEngineHandlers(session: AppSession): EngineHandlers {
  return {
    'app.info': () => appInfo(session),
    'project.open': ({ path }) => openProjectFolder(session, path),
    'project.openDemo': () => openDemo(session),
    'revisions.list': () => listRevisions(session),
    'revisions.show': ({ revision }) => showRevision(session, revision),
    'revisions.merge': ({ message }) => mergeHeads(session, message),
    'connections.list': async () => ({ connections: await session.listConnections() }),
    'connections.save': (draft) => saveConnection(session, draft),
    'connections.delete': ({ id }) => deleteConnection(session, id),
    'connections.test': (input) => testConnection(session, input),
    'database.state': ({ connectionId }) => databaseState(session, connectionId),
    'journal.list': (input) => listJournal(session, input),
    'plan.preview': (input) => previewPlan(session, input),
    'migrations.run': (input, ctx) => runMigrations(session, input, ctx),
    'run.cancel': ({ runId }) => cancelRun(session, runId),
    'dirty.resolve': (input, ctx) => resolveDirtyStep(session, input, ctx),
  };
}
