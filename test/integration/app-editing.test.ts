/**
 * The editor's engine side on the real demo project (a temp copy on disk): new and merge revisions,
 * reading, checking and saving files, with the refusals that keep edits from being lost.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO, harnessPerTest, type AppHarness } from '../support/app-harness.ts';

const harness = harnessPerTest();
const HEAD_FILE = 'migrations/20260210T1400_07c4ef33eb9e_drop_products_legacy_price.sql';

async function opened(): Promise<{ h: AppHarness; root: string }> {
  const h = harness();
  const info = await h.ok('app.info', {});
  return { h, root: info.project!.root };
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

describe('revisions.create', () => {
  it('writes a revision after the head in the project format; the graph has it at once', async () => {
    const { h, root } = await opened();
    await h.ok('revisions.list', {}); // cached before the write: the write must drop the cache
    const written = await h.ok('revisions.create', {
      message: 'add phone to users',
      labels: ['contact'],
      transaction: 'none',
      phase: 'post-deploy',
    });
    expect(written.file).toMatch(
      new RegExp(`^migrations/\\d{8}T\\d{4}_${written.revision}_add_phone_to_users\\.sql$`),
    );
    const text = readFileSync(path.join(root, written.file), 'utf8');
    expect(text).toContain(
      `-- revision: ${written.revision}\n-- parents: ${DEMO.head}\n-- message: add phone to users\n`,
    );
    expect(text).toMatch(/-- branch-labels: contact\n-- transaction: none\n-- phase: post-deploy\n/);
    const graph = await h.ok('revisions.list', {});
    expect(graph.nodes[0]).toMatchObject({
      revision: written.revision,
      downRevisions: [DEMO.head],
      isHead: true,
    });
    expect(graph.problems).toEqual([]);
  });

  it('takes a chosen parent (a new branch) or base (a new root)', async () => {
    const { h } = await opened();
    const branch = await h.ok('revisions.create', {
      message: 'branch off the merge',
      parent: DEMO.start,
      labels: [],
      transaction: 'per-migration',
      phase: 'pre-deploy',
    });
    const root = await h.ok('revisions.create', {
      message: 'a second root',
      parent: 'base',
      labels: [],
      transaction: 'per-migration',
      phase: 'pre-deploy',
    });
    const graph = await h.ok('revisions.list', {});
    const byId = new Map(graph.nodes.map((n) => [n.revision, n]));
    expect(byId.get(branch.revision)?.downRevisions).toEqual([DEMO.start]);
    expect(byId.get(root.revision)?.downRevisions).toEqual([]);
    // With two heads, a revision without a parent is refused with the CLI's advice.
    const refused = await h.fail('revisions.create', {
      message: 'where does it go?',
      labels: [],
      transaction: 'per-migration',
      phase: 'pre-deploy',
    });
    expect(refused).toMatchObject({
      code: 'MULTIPLE_HEADS',
      message: expect.stringMatching(/Pass --parent REV/),
    });
  });

  it('refuses an unknown parent and a label the target syntax reserves, writing nothing', async () => {
    const { h, root } = await opened();
    const before = readdirSync(path.join(root, 'migrations')).length;
    expect(
      await h.fail('revisions.create', {
        message: 'x',
        parent: 'feedfeedfeed',
        labels: [],
        transaction: 'per-migration',
        phase: 'pre-deploy',
      }),
    ).toMatchObject({ code: 'REVISION_NOT_FOUND' });
    expect(
      await h.fail('revisions.create', {
        message: 'x',
        labels: ['release:1'],
        transaction: 'per-migration',
        phase: 'pre-deploy',
      }),
    ).toMatchObject({ code: 'USAGE', message: expect.stringMatching(/release:1/) });
    expect(readdirSync(path.join(root, 'migrations'))).toHaveLength(before);
  });
});

describe('revisions.merge', () => {
  it('joins the heads chosen, leaving the others', async () => {
    const { h } = await opened();
    const a = await h.ok('revisions.create', {
      message: 'a',
      parent: DEMO.start,
      labels: [],
      transaction: 'per-migration',
      phase: 'pre-deploy',
    });
    const b = await h.ok('revisions.create', {
      message: 'b',
      parent: DEMO.start,
      labels: [],
      transaction: 'per-migration',
      phase: 'pre-deploy',
    });
    const merged = await h.ok('revisions.merge', {
      message: 'merge a and b',
      revisions: [a.revision, b.revision],
    });
    const graph = await h.ok('revisions.list', {});
    const heads = graph.nodes
      .filter((n) => n.isHead)
      .map((n) => n.revision)
      .sort();
    expect(heads).toEqual([DEMO.head, merged.revision].sort());
    expect(graph.nodes.find((n) => n.revision === merged.revision)?.downRevisions).toEqual(
      [a.revision, b.revision].sort(),
    );
  });
});

describe('files.read / files.check / files.save', () => {
  it('reads a file with the hash of its text', async () => {
    const { h, root } = await opened();
    const read = await h.ok('files.read', { file: HEAD_FILE });
    const disk = readFileSync(path.join(root, HEAD_FILE), 'utf8');
    expect(read).toEqual({ file: HEAD_FILE, text: disk, hash: sha256(disk) });
  });

  it('refuses paths outside the migrations folder and files that are not there', async () => {
    const { h } = await opened();
    for (const file of ['../../../etc/passwd.sql', '/etc/x.sql', 'stratum.sql', 'migrations/sub/x.sql']) {
      expect(await h.fail('files.read', { file }), file).toMatchObject({ code: 'USAGE' });
    }
    expect(await h.fail('files.read', { file: 'migrations/nothing.sql' })).toMatchObject({
      code: 'REVISION_NOT_FOUND',
      message: expect.stringMatching(/moved or deleted/),
    });
  });

  it('checks an edit as `stratum check` would, with lines', async () => {
    const { h } = await opened();
    const { text } = await h.ok('files.read', { file: HEAD_FILE });
    const clean = await h.ok('files.check', {
      file: HEAD_FILE,
      text: text.replace('DROP COLUMN', 'DROP COLUMN  '),
    });
    expect(clean.findings).toEqual([]);
    const broken = await h.ok('files.check', {
      file: HEAD_FILE,
      text: text.replace('-- parents: 91a7b03d14eb', '-- parents: 91a7b03d14ff'),
    });
    expect(broken.findings).toEqual([
      expect.objectContaining({
        code: 'unknownParent',
        severity: 'error',
        line: 2,
        message: expect.stringMatching(/names parent 91a7b03d14ff, which no revision file declares/),
      }),
    ]);
  });

  it('saves an edit atomically; the graph and checksum follow', async () => {
    const { h, root } = await opened();
    const read = await h.ok('files.read', { file: HEAD_FILE });
    const edited = read.text.replace(
      '-- message: drop products.legacy_price',
      '-- message: drop the legacy price',
    );
    const saved = await h.ok('files.save', { file: HEAD_FILE, text: edited, baseHash: read.hash });
    expect(saved).toEqual({ saved: true, hash: sha256(edited), findings: [] });
    expect(readFileSync(path.join(root, HEAD_FILE), 'utf8')).toBe(edited);
    expect(readdirSync(path.join(root, 'migrations')).filter((f) => f.startsWith('.'))).toEqual([]);
    const graph = await h.ok('revisions.list', {});
    expect(graph.nodes.find((n) => n.revision === DEMO.head)?.message).toBe('drop the legacy price');
  });

  it('does not write an edit with errors unless forced', async () => {
    const { h, root } = await opened();
    const read = await h.ok('files.read', { file: HEAD_FILE });
    const broken = read.text.replace('-- migrate:up', '-- migrate:sideways');
    const refused = await h.ok('files.save', { file: HEAD_FILE, text: broken, baseHash: read.hash });
    expect(refused).toMatchObject({
      saved: false,
      hash: read.hash,
      findings: [{ severity: 'error', code: 'invalid-file' }],
    });
    expect(readFileSync(path.join(root, HEAD_FILE), 'utf8')).toBe(read.text);
    const forced = await h.ok('files.save', {
      file: HEAD_FILE,
      text: broken,
      baseHash: read.hash,
      force: true,
    });
    expect(forced.saved).toBe(true);
    expect(readFileSync(path.join(root, HEAD_FILE), 'utf8')).toBe(broken);
    const graph = await h.ok('revisions.list', {});
    expect(graph.problems).toEqual([expect.objectContaining({ kind: 'invalidFile', files: [HEAD_FILE] })]);
  });

  it('refuses to overwrite a file someone else changed since it was read', async () => {
    const { h, root } = await opened();
    const read = await h.ok('files.read', { file: HEAD_FILE });
    const theirs = `${read.text}\n-- a note from a colleague\n`;
    writeFileSync(path.join(root, HEAD_FILE), theirs);
    const refused = await h.fail('files.save', {
      file: HEAD_FILE,
      text: `${read.text} `,
      baseHash: read.hash,
    });
    expect(refused).toMatchObject({
      code: 'FILE_CHANGED',
      details: { file: HEAD_FILE, diskHash: sha256(theirs) },
      message: expect.stringMatching(/changed on disk since you opened it/),
    });
    expect(readFileSync(path.join(root, HEAD_FILE), 'utf8')).toBe(theirs);
  });
});
