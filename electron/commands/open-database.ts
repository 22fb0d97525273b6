/** Opens the database a command targets (`--url`, `--env`, DATABASE_URL or the project default). */
import type { EnvironmentTag } from '../../shared/model/dialect.ts';
import { EngineError } from '../engine/engine-error.ts';
import type { BookkeepingTables, ConnectionTarget, DatabaseConnection } from '../engine/ports.ts';
import { redactUrl, resolveDatabaseUrl } from '../node/database-url.ts';
import type { CommandOptions } from './command-options.ts';
import type { DatabaseInfo } from './database-info.ts';
import type { ProjectState } from './project-state.ts';

/** An open database with what commands report about it. */
export interface OpenDatabase {
  readonly connection: DatabaseConnection;
  /** The URL without any password, for messages and `--json`. */
  readonly url: string;
  readonly envName: string | null;
  readonly tag: EnvironmentTag;
  /** False when the database does not exist yet and an empty stand-in was opened. */
  readonly exists: boolean;
  readonly tables: BookkeepingTables;
  /** What commands report about this database. */
  readonly info: DatabaseInfo;
  /** What was opened, password and all: for opening a sibling (a rehearsal's scratch). */
  readonly target: ConnectionTarget;
  close(): Promise<void>;
}

/**
 * Opens the target database of `options` for `state`'s dialect.
 *
 * @throws EngineError `URL_INVALID` when the URL's dialect is not the project's, `DATABASE_UNAVAILABLE`
 * when it cannot be opened, `ENVIRONMENT_NOT_FOUND`, `USAGE` when no database is named.
 */
export async function openDatabase(
  state: ProjectState,
  options: CommandOptions,
  mode: {
    create: boolean;
    emptyIfMissing?: boolean;
    /** How long statements may wait for locks other sessions hold (ConnectionTarget.lockTimeoutMs). */
    lockTimeoutMs?: number;
  },
): Promise<OpenDatabase> {
  const resolved = resolveDatabaseUrl({
    project: state.project.config,
    envName: options.envName,
    url: options.url,
    env: options.env,
  });
  const url = redactUrl(resolved.url);
  const dialect = state.project.config.dialect;
  if (resolved.dialect !== dialect) {
    throw new EngineError(
      'URL_INVALID',
      `The project's dialect is ${dialect} but ${url} is a ${resolved.dialect} database. ` +
        `Point --url/--env at a ${dialect} database, or change "dialect" in stratum.json.`,
      { url, reason: 'dialect mismatch' },
    );
  }
  const open = state.adapter.open;
  if (open === undefined) {
    throw new EngineError(
      'DATABASE_UNAVAILABLE',
      `This build of Stratum cannot connect to ${dialect} databases yet. ` +
        `Use \`stratum sql\` to export the script and run it with the database's own client.`,
      { database: url, reason: 'no driver' },
    );
  }
  const envName = options.savedConnection?.name ?? resolved.envName;
  const tag = options.savedConnection?.tag ?? resolved.tag;
  const target: ConnectionTarget = {
    url: resolved.url,
    baseDir: state.project.root,
    create: mode.create,
    emptyIfMissing: mode.emptyIfMissing === true,
    env: options.env,
    versionTable: state.project.config.versionTable,
    ...(mode.lockTimeoutMs === undefined ? {} : { lockTimeoutMs: mode.lockTimeoutMs }),
  };
  const connection = await open(target);
  return {
    connection,
    url,
    envName,
    tag,
    exists: connection.missing !== true,
    info: { url, envName, tag, exists: connection.missing !== true },
    // No versionColumn: the engine looks at the table's columns where it reads the database anyway
    // (under the lock for runs), and uses Alembic's `version_num` when the table has that shape
    // or, not existing yet, is named `alembic_version` (version-reader.ts, DESIGN.md §4).
    tables: { version: state.project.config.versionTable, journal: state.project.config.journalTable },
    target,
    close: () => connection.session.close(),
  };
}
