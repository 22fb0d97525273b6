/** `app.info` and `project.*`: which project the app shows, and the built-in demo. */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { EngineOutput } from '../../../shared/contract/engine-contract.ts';
import type { ProjectSummary } from '../../../shared/contract/project-schemas.ts';
import { EngineError } from '../../engine/engine-error.ts';
import { PROJECT_FILE_NAME } from '../../node/project-config.ts';
import { TOOL_VERSION } from '../tool-version.ts';
import { prepareDemoProject } from '../demo-project.ts';
import type { AppSession } from './app-session.ts';

/** Version, mode, the open project (the demo on first launch) and recent projects. */
export async function appInfo(session: AppSession): Promise<EngineOutput<'app.info'>> {
  if (session.project === null) await openDemo(session);
  return {
    version: TOOL_VERSION,
    mode: session.mode,
    project: await session.summary(),
    recentProjects: session.recent.list().filter((p) => existsSync(path.join(p, PROJECT_FILE_NAME))),
  };
}

/**
 * Opens the project folder `folder`.
 *
 * @throws EngineError `PROJECT_NOT_FOUND` when the folder has no stratum.json.
 */
export async function openProjectFolder(session: AppSession, folder: string): Promise<ProjectSummary> {
  const root = path.resolve(folder);
  const isDir = existsSync(root) && statSync(root).isDirectory();
  if (!isDir || !existsSync(path.join(root, PROJECT_FILE_NAME))) {
    throw new EngineError(
      'PROJECT_NOT_FOUND',
      isDir
        ? `${root} has no ${PROJECT_FILE_NAME}. Pick a migrations project folder, or run \`stratum init\` there first.`
        : `${root} is not a folder.`,
      { searchedFrom: root },
    );
  }
  session.setProject(root);
  return session.summary();
}

/** Opens the built-in demo (created in the data folder on first use). */
export async function openDemo(session: AppSession): Promise<ProjectSummary> {
  await prepareDemoProject({ source: session.demoSource, target: session.demoRoot, env: session.env });
  session.setProject(session.demoRoot);
  return session.summary();
}
