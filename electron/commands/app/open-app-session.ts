/** Builds the {@link AppSession} of a desktop worker or a `stratum serve`, with its defaults. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { userDataDir } from '../../node/data-dir.ts';
import { SessionPasswordVault, type PasswordVault } from '../../node/password-vault.ts';
import { PROJECT_FILE_NAME } from '../../node/project-config.ts';
import { findProjectRoot } from '../../node/project-loader.ts';
import { EngineError } from '../../engine/engine-error.ts';
import { AppSession } from './app-session.ts';

export type { PasswordVault } from '../../node/password-vault.ts';

/** What a transport knows when it starts the app. */
export interface OpenAppSessionOptions {
  readonly mode: 'desktop' | 'browser';
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** `--project DIR`; absent: found from `cwd`, else the demo. */
  readonly project?: string | undefined;
  /** Open the demo whatever `cwd` holds. */
  readonly demo?: boolean;
  /** The shipped demo project. */
  readonly demoSource: string;
  /** Default: {@link userDataDir} of `env` (desktop passes Electron's userData folder). */
  readonly dataDir?: string;
  /** Default: passwords kept for the session only. */
  readonly vault?: PasswordVault;
}

/**
 * The session, with the project to show first: `project` (which must hold stratum.json), else the
 * project around `cwd`, else null (the demo opens on the first `app.info`).
 *
 * @throws EngineError `PROJECT_NOT_FOUND` when `project` is given but has no stratum.json.
 */
export function openAppSession(options: OpenAppSessionOptions): AppSession {
  return new AppSession({
    mode: options.mode,
    env: options.env,
    dataDir: options.dataDir ?? userDataDir(options.env),
    demoSource: options.demoSource,
    vault: options.vault ?? new SessionPasswordVault(),
    project: options.demo === true ? null : startProject(options.project, options.cwd),
  });
}

function startProject(project: string | undefined, cwd: string): string | null {
  if (project !== undefined) {
    const root = path.resolve(cwd, project);
    if (!existsSync(path.join(root, PROJECT_FILE_NAME))) {
      throw new EngineError(
        'PROJECT_NOT_FOUND',
        `${root} has no ${PROJECT_FILE_NAME}. Pass the folder of a migrations project, or run \`stratum init\` there.`,
        { searchedFrom: root },
      );
    }
    return root;
  }
  try {
    return findProjectRoot(cwd);
  } catch {
    return null;
  }
}
