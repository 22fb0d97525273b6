/**
 * The golden fixture project (`test/fixtures/golden-project/`) and the deterministic offline script
 * of its `base:heads` upgrade, shared by the golden tests and manual checks.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RevisionGraph } from '../../electron/engine/graph/revision-graph.ts';
import { parseRevisionTarget } from '../../electron/engine/graph/revision-target.ts';
import { planUpgrade } from '../../electron/engine/plan/planner.ts';
import { parseRevisionFile } from '../../electron/engine/revision/revision-file-parser.ts';
import { renderOfflineScript } from '../../electron/engine/sql/offline-script.ts';
import type { BookkeepingTables, IdSource } from '../../electron/engine/ports.ts';
import type { Revision } from '../../electron/engine/revision/revision.ts';
import type { Plan } from '../../electron/engine/plan/plan.ts';
import { adapterFor } from '../../electron/dialects/registry.ts';
import { nodeHasher } from '../../electron/node/system.ts';
import type { Dialect } from '../../shared/model/dialect.ts';

/** Absolute path of the fixture project. */
export const GOLDEN_PROJECT = fileURLToPath(new URL('../fixtures/golden-project/', import.meta.url));

export const GOLDEN_TABLES: BookkeepingTables = { version: 'stratum_version', journal: 'stratum_journal' };

/** The fixture's revisions, parsed from its files. */
export function goldenRevisions(): Revision[] {
  const folder = path.join(GOLDEN_PROJECT, 'migrations');
  return readdirSync(folder)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => parseRevisionFile(readFileSync(path.join(folder, name), 'utf8'), `migrations/${name}`).revision);
}

/** The upgrade plan from an empty database to every head. */
export function goldenPlan(): Plan {
  const graph = RevisionGraph.build(goldenRevisions());
  return planUpgrade(graph, [], parseRevisionTarget('heads'), 'heads');
}

/** Ids `00000000-0000-4000-8000-000000000001`, … in call order. */
export function deterministicIds(): IdSource {
  let n = 0;
  return { newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` };
}

/** The offline `base:heads` upgrade script of the fixture project in `dialect`. */
export function goldenScript(dialect: Dialect): string {
  return renderOfflineScript({
    plan: goldenPlan(),
    adapter: adapterFor(dialect),
    tables: GOLDEN_TABLES,
    identity: { osUser: 'someone', host: 'somewhere', pid: 1, toolVersion: 'stratum 0.1.0' },
    hasher: nodeHasher,
    ids: deterministicIds(),
    header: {
      project: 'golden-project',
      range: 'base:heads',
      generator: 'stratum 0.1.0',
      date: '2026-11-21T10:30:00.000Z',
    },
  });
}
