/** `connections.*`: add, edit, test and delete the connections of the open project. */
import { performance } from 'node:perf_hooks';
import type {
  ConnectionDraft,
  ConnectionInfo,
  ConnectionTest,
} from '../../../shared/contract/connection-schemas.ts';
import { EngineError } from '../../engine/engine-error.ts';
import { dialectOfUrl, redactUrl, splitUrlPassword, withUrlPassword } from '../../node/database-url.ts';
import { PROJECT_FILE_NAME } from '../../node/project-config.ts';
import type { CommandOptions } from '../command-options.ts';
import { openDatabase } from '../open-database.ts';
import { openProject } from '../project-state.ts';
import type { AppSession } from './app-session.ts';

/** Saves a connection of the open project; a password inside the URL is moved to the vault. */
export async function saveConnection(session: AppSession, draft: ConnectionDraft): Promise<ConnectionInfo> {
  const options = session.projectOptions();
  const state = await openProject(options, { saveCache: false });
  if (draft.id?.startsWith('env:') === true) throw readOnly(draft.id);
  const dialect = state.project.config.dialect;
  const { url, password: fromUrl } = splitUrlPassword(draft.url);
  checkDraftUrl(url, dialect);
  if (draft.id !== undefined && session.connections.get(options.project!, draft.id) === undefined) {
    throw new EngineError('CONNECTION_NOT_FOUND', `This project has no connection "${draft.id}".`, {
      id: draft.id,
    });
  }
  const saved = await session.connections.save(options.project!, {
    id: draft.id,
    name: draft.name,
    url,
    tag: draft.tag,
    password: fromUrl ?? draft.password,
  });
  return session.describeSaved(saved, dialect);
}

/** Deletes a saved connection. Environments of stratum.json are edited in that file instead. */
export function deleteConnection(session: AppSession, id: string): Record<string, never> {
  if (id.startsWith('env:')) throw readOnly(id);
  const { project } = session.projectOptions();
  if (!session.connections.delete(project!, id)) {
    throw new EngineError('CONNECTION_NOT_FOUND', `This project has no connection "${id}".`, { id });
  }
  return {};
}

/**
 * Connects and asks the server for its version. A draft (the form before saving) is tested with
 * its own URL and password; an unchanged password of a saved draft comes from the vault.
 *
 * @throws EngineError `DATABASE_UNAVAILABLE` with the driver's message (refused, timeout, password…).
 */
export async function testConnection(
  session: AppSession,
  input: { id: string } | { draft: ConnectionDraft },
): Promise<ConnectionTest> {
  const options =
    'id' in input ? await session.connectionOptions(input.id) : await draftOptions(session, input.draft);
  const state = await openProject(options, { saveCache: false });
  const started = performance.now();
  const db = await openDatabase(state, options, { create: false, emptyIfMissing: true });
  try {
    const rows = await db.connection.session.query(state.adapter.serverVersionSql);
    const version = rows[0]?.version;
    return {
      serverVersion: typeof version === 'string' ? version : String(version ?? 'unknown'),
      latencyMs: Math.round(performance.now() - started),
      exists: db.exists,
    };
  } finally {
    await db.close();
  }
}

async function draftOptions(session: AppSession, draft: ConnectionDraft): Promise<CommandOptions> {
  const base = session.projectOptions();
  if (draft.id?.startsWith('env:') === true) return session.connectionOptions(draft.id);
  const state = await openProject(base, { saveCache: false });
  const { url, password: fromUrl } = splitUrlPassword(draft.url);
  checkDraftUrl(url, state.project.config.dialect);
  let password = fromUrl ?? draft.password ?? null;
  if (password === null && draft.password === undefined && draft.id !== undefined) {
    const saved = session.connections.get(base.project!, draft.id);
    password = saved === undefined ? null : await session.connections.password(saved);
  }
  return {
    ...base,
    url: password === null || password === '' ? url : withUrlPassword(url, password),
    savedConnection: { name: draft.name, tag: draft.tag },
  };
}

function checkDraftUrl(url: string, dialect: string): void {
  const urlDialect = dialectOfUrl(url);
  if (urlDialect === null) {
    throw new EngineError(
      'URL_INVALID',
      `"${redactUrl(url)}" is not a database URL. Use sqlite:PATH, postgres://user@host:5432/db or mysql://user@host:3306/db.`,
      { url: redactUrl(url), reason: 'unknown scheme' },
    );
  }
  if (urlDialect !== dialect) {
    throw new EngineError(
      'URL_INVALID',
      `This project's migrations are written for ${dialect}; "${redactUrl(url)}" is a ${urlDialect} database.`,
      { url: redactUrl(url), reason: 'dialect mismatch' },
    );
  }
}

function readOnly(id: string): EngineError {
  return new EngineError(
    'CONNECTION_READ_ONLY',
    `"${id.slice(4)}" is an environment of ${PROJECT_FILE_NAME}: change it there, or save a connection of your own.`,
    { id, file: PROJECT_FILE_NAME },
  );
}
