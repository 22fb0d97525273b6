/**
 * Conformance: upgrades and downgrades through labelled branches and a merge, and `stamp`, the same
 * tests on every dialect (STYLE.md §F.3). The version table holds one row per applied head at
 * every stage.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ConformanceTarget,
  countRows,
  dialectsFor,
  type RevisionSpec,
} from './support/conformance-target.ts';

const dialects = dialectsFor('branches-and-stamp');

const BASE = 'a1a1a1a1a1a1';
const LEFT_1 = 'b1b1b1b1b1b1';
const LEFT_2 = 'b2b2b2b2b2b2';
const RIGHT_1 = 'c1c1c1c1c1c1';
const MERGE = 'd1d1d1d1d1d1';

const table = (name: string): Pick<RevisionSpec, 'up' | 'down'> => ({
  up: `CREATE TABLE ${name} (id integer NOT NULL PRIMARY KEY, note varchar(50));`,
  down: `DROP TABLE ${name};`,
});

/** A base, the `left` branch (two revisions) and the `right` branch (one), not merged yet. */
const BRANCHES: RevisionSpec[] = [
  { id: BASE, parents: [], ...table('base_t') },
  { id: LEFT_1, parents: [BASE], labels: ['left'], ...table('left_1') },
  { id: LEFT_2, parents: [LEFT_1], ...table('left_2') },
  { id: RIGHT_1, parents: [BASE], labels: ['right'], ...table('right_1') },
];
const MERGE_SPEC: RevisionSpec = {
  id: MERGE,
  parents: [LEFT_2, RIGHT_1],
  up: "INSERT INTO base_t (id, note) VALUES (1, 'merged');",
  down: 'DELETE FROM base_t WHERE id = 1;',
};

interface CurrentJson {
  readonly ok: boolean;
  readonly current: readonly { readonly revision: string }[];
}
interface StatusJson {
  readonly ok: boolean;
  readonly current: readonly string[];
  readonly applied: readonly string[];
  readonly pending: readonly { readonly revision: string }[];
  readonly modified: readonly unknown[];
  readonly dirty: readonly unknown[];
}

describe.each(dialects)('%s: branches, merges and stamp', (dialect) => {
  let target: ConformanceTarget;
  beforeAll(async () => {
    target = await ConformanceTarget.create(dialect, 'branches');
  });
  afterAll(async () => {
    await target?.dispose();
  });
  beforeEach(async () => {
    target.resetProject();
    await target.resetDatabase();
  });
  afterEach(async () => {
    await target.killChildren();
  });

  /** `current --json` and the version table agree, and hold `heads`. */
  async function expectHeads(heads: readonly string[]): Promise<void> {
    expect(await target.versions()).toEqual([...heads].sort());
    const current = await target.json<CurrentJson>('current');
    expect(current.code, current.stderr).toBe(0);
    expect(current.body.current.map((c) => c.revision).sort()).toEqual([...heads].sort());
  }

  async function upgrade(to: string): Promise<void> {
    const result = await target.cli('upgrade', to);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  }

  it('label@head applies one branch only; heads applies the other; the merge joins them; downgrade to the branch point removes both branches and the merge', async () => {
    target.writeRevisions(BRANCHES);

    await upgrade('left@head');
    await expectHeads([LEFT_2]);
    expect(await target.tableNames()).toEqual(['base_t', 'left_1', 'left_2']);

    await upgrade('heads');
    await expectHeads([LEFT_2, RIGHT_1]);
    expect(await target.tableNames()).toEqual(['base_t', 'left_1', 'left_2', 'right_1']);

    // The merge arrives: two heads become one.
    target.writeRevisions([MERGE_SPEC]);
    const pending = await target.json<StatusJson>('status');
    expect(pending.body.pending.map((p) => p.revision)).toEqual([MERGE]);
    await upgrade('heads');
    await expectHeads([MERGE]);
    expect(await target.query('SELECT id, note FROM base_t')).toEqual([{ id: 1, note: 'merged' }]);

    const down = await target.cli('downgrade', BASE);
    expect(down.code, `${down.stdout}\n${down.stderr}`).toBe(0);
    await expectHeads([BASE]);
    expect(await target.tableNames()).toEqual(['base_t']);
    expect(await target.query('SELECT id FROM base_t')).toEqual([]);

    const journal = await target.journal();
    expect(journal.every((row) => row.status === 'succeeded')).toBe(true);
    expect(countRows(journal, 'succeeded', 'up')).toEqual({
      [BASE]: 1,
      [LEFT_1]: 1,
      [LEFT_2]: 1,
      [RIGHT_1]: 1,
      [MERGE]: 1,
    });
    expect(countRows(journal, 'succeeded', 'down')).toEqual({
      [LEFT_1]: 1,
      [LEFT_2]: 1,
      [RIGHT_1]: 1,
      [MERGE]: 1,
    });
    // The merge is reverted first, the base never.
    expect(journal.filter((row) => row.direction === 'down')[0]?.revision).toBe(MERGE);
  });

  it('downgrading one labelled branch leaves the other branch applied', async () => {
    target.writeRevisions(BRANCHES);
    await upgrade('heads');
    await expectHeads([LEFT_2, RIGHT_1]);

    const down = await target.cli('downgrade', 'left@base');
    expect(down.code, `${down.stdout}\n${down.stderr}`).toBe(0);
    await expectHeads([RIGHT_1]);
    expect(await target.tableNames()).toEqual(['base_t', 'right_1']);
  });

  it('stamp heads records every head without running SQL; stamp base clears it; upgrade then runs only the rest', async () => {
    target.writeRevisions(BRANCHES);

    const stampHeads = await target.cli('stamp', 'heads');
    expect(stampHeads.code, `${stampHeads.stdout}\n${stampHeads.stderr}`).toBe(0);
    await expectHeads([LEFT_2, RIGHT_1]);
    expect(await target.tableNames()).toEqual([]);
    const status = await target.json<StatusJson>('status');
    expect(status.body.applied.toSorted()).toEqual([BASE, LEFT_1, LEFT_2, RIGHT_1].sort());
    expect(status.body.pending).toEqual([]);
    expect((await target.cli('check')).code).toBe(0);

    const stampBase = await target.cli('stamp', 'base');
    expect(stampBase.code, `${stampBase.stdout}\n${stampBase.stderr}`).toBe(0);
    await expectHeads([]);
    expect(await target.tableNames()).toEqual([]);
    const check = await target.cli('check');
    expect(check.code, check.stdout).toBe(3);

    // Stamping one branch's head, then upgrading, runs only what that stamp did not cover.
    const stampLeft = await target.cli('stamp', 'left@head');
    expect(stampLeft.code, stampLeft.stderr).toBe(0);
    await expectHeads([LEFT_2]);
    await upgrade('heads');
    await expectHeads([LEFT_2, RIGHT_1]);
    // base_t, left_1 and left_2 were stamped, not created.
    expect(await target.tableNames()).toEqual(['right_1']);
    const journal = await target.journal();
    expect(journal.filter((row) => row.direction === 'stamp').length).toBeGreaterThanOrEqual(3);
    expect(journal.every((row) => row.status === 'succeeded')).toBe(true);
    expect(countRows(journal, 'succeeded', 'up')).toEqual({ [RIGHT_1]: 1 });
  });
});
