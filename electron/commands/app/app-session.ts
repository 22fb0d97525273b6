/**
 * The app's state on the engine side: which project is open, where the data folder is, the saved
 * connections and the runs in progress. One per desktop window's worker or per `stratum serve`.
 */
import path from 'node:path';
import type { ConnectionInfo } from '../../../shared/contract/connection-schemas.ts';
import type { ProjectSummary } from '../../../shared/contract/project-schemas.ts';
import { EngineError } from '../../engine/engine-error.ts';
import { ConnectionStore, type SavedConnection } from '../../node/connection-store.ts';
import {
  databaseNameOfUrl,
  dialectOfUrl,
  redactUrl,
  resolveDatabaseUrl,
  withUrlPassword,
} from '../../node/database-url.ts';
import type { PasswordVault } from '../../node/password-vault.ts';
import { RecentProjects } from '../../node/recent-projects.ts';
import type { CommandOptions } from '../command-options.ts';
import { ProjectStateCache } from '../project-state-cache.ts';
import { openProject } from '../project-state.ts';

/** What an {@link AppSession} is built from. */
export interface AppSessionOptions {
  readonly mode: 'desktop' | 'browser';
  readonly dataDir: string;
  /** The built-in demo project shipped with the app (`resources/demo`). */
  readonly demoSource: string;
  readonly vault: PasswordVault;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The project to open first; null opens the demo. */
  readonly project: string | null;
}

/** The engine side of one app window (desktop) or one `stratum serve`. */
export class AppSession {
  readonly mode: 'desktop' | 'browser';
  readonly dataDir: string;
  readonly demoSource: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly connections: ConnectionStore;
  readonly recent: RecentProjects;
  /** Runs in progress, by the client's run id, so `run.cancel` can stop them. */
  readonly runs = new Map<string, AbortController>();
  /** The open project, parsed once and dropped when its files change. */
  readonly projectCache = new ProjectStateCache();
  #project: string | null;

  constructor(options: AppSessionOptions) {
    this.mode = options.mode;
    this.dataDir = options.dataDir;
    this.demoSource = options.demoSource;
    this.env = options.env;
    this.connections = new ConnectionStore(options.dataDir, options.vault);
    this.recent = new RecentProjects(options.dataDir);
    this.#project = options.project;
  }

  /** The open project's root, or null before one is opened. */
  get project(): string | null {
    return this.#project;
  }

  /** The demo project's folder in the data folder. */
  get demoRoot(): string {
    return path.join(this.dataDir, 'demo');
  }

  /** Makes `root` the open project. */
  setProject(root: string): void {
    this.#project = root;
    if (root !== this.demoRoot) this.recent.add(root);
  }

  /** Command options for the open project (no database). */
  projectOptions(): CommandOptions {
    const project = this.#project;
    if (project === null) {
      throw new EngineError('PROJECT_NOT_FOUND', 'No project is open. Open a project folder first.', {
        searchedFrom: '',
      });
    }
    return { project, cwd: project, env: this.env, projectCache: this.projectCache };
  }

  /**
   * Command options that point at a connection: `env:<name>` for a stratum.json environment, or a
   * saved connection's id (its password filled in from the vault).
   *
   * @throws EngineError `CONNECTION_NOT_FOUND`.
   */
  async connectionOptions(connectionId: string): Promise<CommandOptions> {
    const base = this.projectOptions();
    if (connectionId.startsWith('env:')) {
      const envName = connectionId.slice(4);
      const state = await openProject(base, { saveCache: false });
      if (!Object.hasOwn(state.project.config.environments, envName)) throw notFound(connectionId);
      return { ...base, envName };
    }
    const saved = this.connections.get(base.project!, connectionId);
    if (saved === undefined) throw notFound(connectionId);
    const password = await this.connections.password(saved);
    return {
      ...base,
      url: password === null ? saved.url : withUrlPassword(saved.url, password),
      savedConnection: { name: saved.name, tag: saved.tag },
    };
  }

  /** Every connection of the open project: its environments first, then the saved ones. */
  async listConnections(): Promise<ConnectionInfo[]> {
    const base = this.projectOptions();
    const state = await openProject(base, { saveCache: false });
    const { config } = state.project;
    const fromProject = Object.entries(config.environments).map(([name, environment]): ConnectionInfo => {
      const expanded = tryExpand(config, name, this.env);
      return {
        id: `env:${name}`,
        name,
        source: 'project',
        dialect: config.dialect,
        url: redactUrl(environment.url),
        tag: environment.tag,
        databaseName: (expanded === null ? null : databaseNameOfUrl(expanded)) ?? name,
        passwordStorage: 'none',
      };
    });
    const saved = await Promise.all(
      this.connections.list(base.project!).map((c) => this.describeSaved(c, config.dialect)),
    );
    return [...fromProject, ...saved];
  }

  /** One connection of the open project, as {@link listConnections} describes it. */
  async connectionInfo(connectionId: string): Promise<ConnectionInfo> {
    const found = (await this.listConnections()).find((c) => c.id === connectionId);
    if (found === undefined) throw notFound(connectionId);
    return found;
  }

  /** The renderer's view of a saved connection. */
  async describeSaved(
    saved: SavedConnection,
    fallbackDialect: ConnectionInfo['dialect'],
  ): Promise<ConnectionInfo> {
    const hasPassword = (await this.connections.password(saved)) !== null;
    return {
      id: saved.id,
      name: saved.name,
      source: 'saved',
      dialect: dialectOfUrl(saved.url) ?? fallbackDialect,
      url: redactUrl(saved.url),
      tag: saved.tag,
      databaseName: databaseNameOfUrl(saved.url) ?? saved.name,
      passwordStorage: hasPassword ? saved.secret!.storage : 'none',
    };
  }

  /** The open project as the renderer shows it. */
  async summary(): Promise<ProjectSummary> {
    const state = await openProject(this.projectOptions());
    const root = state.project.root;
    return {
      root,
      name: path.basename(root),
      dialect: state.project.config.dialect,
      migrations: state.project.config.migrations,
      isDemo: root === this.demoRoot,
      revisionCount: state.revisions.length,
      heads: [...state.graph.heads],
    };
  }
}

function notFound(id: string): EngineError {
  return new EngineError(
    'CONNECTION_NOT_FOUND',
    `This project has no connection "${id}". It may have been deleted: reload the connection list.`,
    { id },
  );
}

function tryExpand(
  config: Parameters<typeof resolveDatabaseUrl>[0]['project'],
  envName: string,
  env: Readonly<Record<string, string | undefined>>,
): string | null {
  try {
    return resolveDatabaseUrl({ project: config, envName, env }).url;
  } catch {
    return null;
  }
}
