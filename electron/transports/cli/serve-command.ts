/**
 * `stratum serve`: the app in a local browser (DESIGN.md §7), on the project given with `--project`
 * (or found from the current folder), or on the built-in demo when there is none or with `--demo`.
 * Runs until Ctrl-C.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createEngineHandlers } from '../../commands/app/engine-handlers.ts';
import { openAppSession } from '../../commands/app/open-app-session.ts';
import { startBrowserServer } from '../http/browser-server.ts';
import { EngineDispatcher } from '../rpc/engine-dispatcher.ts';
import { demoSourceDir, rendererDir } from './app-paths.ts';
import type { CliContext } from './cli-context.ts';
import { usageError } from './cli-context.ts';

/** What `serve` takes. */
export interface ServeFlags {
  readonly project?: string;
  readonly port?: string;
  readonly demo?: boolean;
}

/** Serves the app until the CLI's signal aborts (Ctrl-C). */
export async function serve(ctx: CliContext, flags: ServeFlags): Promise<void> {
  const port = flags.port === undefined ? 0 : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw usageError(`--port takes a port number from 0 to 65535 (got "${flags.port}").`, '--port');
  }
  const staticDir = rendererDir();
  if (!existsSync(path.join(staticDir, 'index.html'))) {
    throw usageError(
      `The app is not built (${staticDir} has no index.html). Run \`npm run build\` first.`,
      'serve',
    );
  }
  const session = openAppSession({
    mode: 'browser',
    env: ctx.env,
    cwd: ctx.cwd,
    project: flags.project,
    demo: flags.demo === true,
    demoSource: demoSourceDir(),
  });
  const project = session.project;
  const log = (message: string): void => ctx.term.err(`${message}\n`);
  const dispatcher = new EngineDispatcher(createEngineHandlers(session), log);
  const server = await startBrowserServer({ dispatcher, staticDir, port });
  session.projectCache.onChange(() => server.broadcast({ kind: 'project.changed' }));
  const what = project === null ? 'the built-in demo project' : project;
  ctx.term.out(
    `Stratum is serving ${what} at\n\n  ${server.url}\n\n` +
      `Open that URL in your browser (it carries the access token). Press Ctrl-C to stop.\n`,
  );
  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) resolve();
    else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
  session.projectCache.close();
}
