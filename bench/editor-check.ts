/**
 * `npm run bench:editor`: how long the migration editor waits for its findings and its save on a
 * 10,000-revision project (branches, merges, labels). The editor asks `files.check` after each
 * pause in typing and `files.save` on Ctrl+S, both through the app's handlers on an in-memory
 * project (the AppSession cache), as `stratum serve` and the desktop worker run them. Prints
 * medians; not a test, exits 0.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createEngineHandlers } from '../electron/commands/app/engine-handlers.ts';
import { AppSession } from '../electron/commands/app/app-session.ts';
import { SessionPasswordVault } from '../electron/node/password-vault.ts';
import { branchyGraph } from './generate-projects.ts';
import { median } from './measure-process.ts';
import { ms, table } from './report-table.ts';

const SIZE = 10_000;
const RUNS = 20;

const work = mkdtempSync(path.join(os.tmpdir(), 'stratum-bench-editor-'));
try {
  const project = branchyGraph(path.join(work, 'graph'), SIZE, SIZE - 100);
  const session = new AppSession({
    mode: 'browser',
    dataDir: path.join(work, 'data'),
    demoSource: path.join(work, 'no-demo'),
    vault: new SessionPasswordVault(),
    env: {},
    project: project.root,
  });
  const handlers = createEngineHandlers(session);
  const ctx = { emit: () => undefined };
  const file = `migrations/${readdirSync(path.join(project.root, 'migrations')).sort().at(-1)!}`;

  const first = performance.now();
  const read = await handlers['files.read']({ file }, ctx);
  const loadMs = performance.now() - first;

  const checks: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const text = `${read.text}-- edit ${i}\n`;
    const started = performance.now();
    const { findings } = await handlers['files.check']({ file, text }, ctx);
    checks.push(performance.now() - started);
    if (findings.some((f) => f.severity === 'error'))
      throw new Error(`unexpected findings: ${findings[0]!.message}`);
  }

  const saves: number[] = [];
  let hash = read.hash;
  for (let i = 0; i < RUNS; i++) {
    const text = `${read.text}-- save ${i}\n`;
    const started = performance.now();
    const saved = await handlers['files.save']({ file, text, baseHash: hash }, ctx);
    // The next check or list after a save loads the project again (the save drops the cache).
    await handlers['files.check']({ file, text }, ctx);
    saves.push(performance.now() - started);
    hash = saved.hash;
  }
  session.projectCache.close();

  console.log(`Migration editor on ${SIZE.toLocaleString('en')} revisions (medians of ${RUNS})\n`);
  console.log(
    table(
      ['measure', 'time'],
      [
        ['first files.read (project load)', ms(loadMs)],
        ['files.check while typing (project in memory)', ms(median(checks))],
        ['files.save + the next check (reload after the write)', ms(median(saves))],
      ],
    ),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
