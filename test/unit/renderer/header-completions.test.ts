/** headerCompletions: what the migration editor suggests where. */
import { describe, expect, it } from 'vitest';
import { headerCompletions } from '../../../renderer/features/migration-editor/header-completions.ts';

const REVISIONS = [
  { revision: 'aaaaaaaaaaaa', message: 'create users' },
  { revision: 'bbbbbbbbbbbb', message: 'add email' },
  { revision: 'cccccccccccc', message: 'this file' },
];
const SECTIONS = [
  '-- migrate:up',
  '-- migrate:up sqlite',
  '-- migrate:up postgres',
  '-- migrate:up mysql',
  '-- migrate:down',
  '-- migrate:down sqlite',
  '-- migrate:down postgres',
  '-- migrate:down mysql',
];
const labels = (before: string, inHeader = true): string[] =>
  headerCompletions(before, inHeader, REVISIONS, 'cccccccccccc').map((c) => c.label);

describe('headerCompletions', () => {
  it('offers header keys and section markers after "--" in the header, markers only below it', () => {
    expect(labels('-- ')).toEqual([
      ...SECTIONS,
      'revision:',
      'parents:',
      'message:',
      'created:',
      'branch-labels:',
      'depends-on:',
      'transaction:',
      'phase:',
    ]);
    expect(labels('-- p')).toEqual(['parents:', 'phase:']);
    expect(labels('-- m')).toEqual(expect.arrayContaining(['-- migrate:up', 'message:']));
    expect(labels('-- migrate:d', false)).toEqual(SECTIONS);
    expect(labels('-- p', false)).toEqual([]);
    expect(labels('SELECT 1 --')).toEqual([]);
  });

  it('replaces from the right column', () => {
    const [section] = headerCompletions('  -- mig', true, REVISIONS, null);
    expect(section).toMatchObject({ label: '-- migrate:up', replaceFrom: 2 });
    const key = headerCompletions('-- tra', true, REVISIONS, null).find((c) => c.kind === 'key');
    expect(key).toMatchObject({ insertText: 'transaction: ', replaceFrom: 3 });
    expect(headerCompletions('-- parents: aaaa', true, REVISIONS, null)[0]).toMatchObject({
      replaceFrom: 12,
    });
  });

  it('offers the values of transaction and phase', () => {
    expect(labels('-- transaction: ')).toEqual(['per-migration', 'none']);
    expect(labels('-- phase: po')).toEqual(['pre-deploy', 'post-deploy']);
  });

  it('offers revisions with their messages for parents and depends-on, minus itself and those listed', () => {
    expect(headerCompletions('-- parents: ', true, REVISIONS, 'cccccccccccc')).toEqual([
      {
        label: 'aaaaaaaaaaaa',
        insertText: 'aaaaaaaaaaaa',
        detail: 'create users',
        kind: 'revision',
        replaceFrom: 12,
      },
      {
        label: 'bbbbbbbbbbbb',
        insertText: 'bbbbbbbbbbbb',
        detail: 'add email',
        kind: 'revision',
        replaceFrom: 12,
      },
    ]);
    expect(labels('-- depends-on: aaaaaaaaaaaa ')).toEqual(['bbbbbbbbbbbb']);
    expect(labels('-- parents: ', false)).toEqual([]);
    expect(labels('-- message: ')).toEqual([]);
  });
});
