import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Hasher } from '../../../electron/engine/ports.ts';
import { appliedText, revisionChecksum } from '../../../electron/engine/revision/revision-checksum.ts';
import { parseRevisionFile } from '../../../electron/engine/revision/revision-file-parser.ts';

const SHA256: Hasher = { sha256Hex: (text) => createHash('sha256').update(text, 'utf8').digest('hex') };

const BASE = [
  '-- revision: 3f2a9c1b7d4e',
  '-- parents: 1a2b3c4d5e6f',
  '-- message: add email',
  '',
  '-- migrate:up',
  'ALTER TABLE users ADD COLUMN email TEXT;',
  '',
  '-- migrate:down',
  'ALTER TABLE users DROP COLUMN email;',
  '',
].join('\n');

function checksum(text: string, dialect: 'sqlite' | 'postgres' | 'mysql' = 'sqlite'): string {
  return revisionChecksum(parseRevisionFile(text, 'a.sql').revision, dialect, SHA256);
}

describe('appliedText', () => {
  it('composes the normalised up and down bodies', () => {
    const revision = parseRevisionFile(BASE, 'a.sql').revision;
    expect(appliedText(revision, 'sqlite')).toBe(
      '-- migrate:up\nALTER TABLE users ADD COLUMN email TEXT;\n-- migrate:down\nALTER TABLE users DROP COLUMN email;',
    );
  });

  it('uses the dialect override and an empty text for a missing down', () => {
    const text = BASE.replace(
      '-- migrate:down\nALTER TABLE users DROP COLUMN email;\n',
      '-- migrate:up mysql\nSELECT 2;\n',
    );
    const revision = parseRevisionFile(text, 'a.sql').revision;
    expect(appliedText(revision, 'mysql')).toBe('-- migrate:up\nSELECT 2;\n-- migrate:down\n');
  });
});

describe('revisionChecksum', () => {
  const original = checksum(BASE);

  it('is a SHA-256 hex digest of the applied text', () => {
    const revision = parseRevisionFile(BASE, 'a.sql').revision;
    expect(original).toMatch(/^[0-9a-f]{64}$/);
    expect(original).toBe(SHA256.sha256Hex(appliedText(revision, 'sqlite')));
  });

  it.each([
    ['CRLF line endings', BASE.replace(/\n/g, '\r\n')],
    ['trailing spaces', BASE.replace(/\n/g, '   \t\n')],
    ['a BOM', `\uFEFF${BASE}`],
    [
      'header edits',
      BASE.replace('add email', 'add e-mail column').replace('-- parents: 1a2b3c4d5e6f', '-- parents:'),
    ],
    ['added header keys', BASE.replace('-- message', '-- phase: post-deploy\n-- message')],
    [
      'blank lines around bodies',
      BASE.replace('-- migrate:up\n', '-- migrate:up\n\n\n').replace(/\n$/, '\n\n\n'),
    ],
  ])('is unchanged by %s', (_name, text) => {
    expect(checksum(text)).toBe(original);
  });

  it.each([
    ['an up body edit', BASE.replace('email TEXT', 'email VARCHAR(255)')],
    ['a down body edit', BASE.replace('DROP COLUMN email', 'DROP COLUMN IF EXISTS email')],
    ['an added statement', BASE.replace('TEXT;', 'TEXT;\nCREATE INDEX i ON users (email);')],
    ['leading indentation', BASE.replace('ALTER TABLE users ADD', '  ALTER TABLE users ADD')],
    [
      'a dialect override',
      BASE.replace('-- migrate:down', '-- migrate:up sqlite\nSELECT 1;\n-- migrate:down'),
    ],
  ])('changes with %s', (_name, text) => {
    expect(checksum(text)).not.toBe(original);
  });

  it('differs per dialect only where an override applies', () => {
    const text = BASE.replace('-- migrate:down', '-- migrate:up postgres\nSELECT 1;\n-- migrate:down');
    expect(checksum(text, 'sqlite')).toBe(original);
    expect(checksum(text, 'postgres')).not.toBe(original);
  });
});
