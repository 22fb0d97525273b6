import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  matchPgpass,
  parsePgpass,
  pgpassPath,
  readPgpassPassword,
} from '../../../electron/dialects/postgres/pgpass.ts';

const QUERY = { host: 'db.example.com', port: 5432, database: 'app', user: 'alice' };

describe('parsePgpass', () => {
  it('reads fields, wildcards, comments and blank lines', () => {
    const text = [
      '# a comment',
      '',
      'db.example.com:5432:app:alice:s3cret',
      '*:*:*:bob:bobpw\r',
      'too:few:fields',
    ].join('\n');
    expect(parsePgpass(text)).toEqual([
      { host: 'db.example.com', port: '5432', database: 'app', user: 'alice', password: 's3cret' },
      { host: null, port: null, database: null, user: 'bob', password: 'bobpw' },
    ]);
  });

  it('unescapes \\: and \\\\ in fields and password; an escaped star is literal', () => {
    const [entry] = parsePgpass('h\\:x:5432:d\\\\b:\\*:pa\\:ss\\\\word');
    expect(entry).toEqual({
      host: 'h:x',
      port: '5432',
      database: 'd\\b',
      user: '*',
      password: 'pa:ss\\word',
    });
  });

  it('keeps unescaped colons after the fourth field in the password', () => {
    expect(parsePgpass('h:1:d:u:a:b:c')[0]!.password).toBe('a:b:c');
  });
});

describe('matchPgpass', () => {
  const entries = parsePgpass(
    [
      'other.host:5432:app:alice:wrong-host',
      'db.example.com:5433:app:alice:wrong-port',
      'db.example.com:*:app:alice:first',
      '*:*:*:*:fallback',
    ].join('\n'),
  );

  it('returns the first matching line', () => {
    expect(matchPgpass(entries, QUERY)).toBe('first');
    expect(matchPgpass(entries, { ...QUERY, user: 'carol' })).toBe('fallback');
  });

  it('matches a Unix socket connection as localhost', () => {
    const local = parsePgpass('localhost:5432:*:alice:sock');
    expect(matchPgpass(local, { ...QUERY, host: '/var/run/postgresql' })).toBe('sock');
    expect(matchPgpass(local, QUERY)).toBeNull();
  });
});

describe('readPgpassPassword', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stratum-pgpass-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('uses PGPASSFILE, else $HOME/.pgpass', () => {
    expect(pgpassPath({ PGPASSFILE: '/x/pw', HOME: '/users/u' })).toBe('/x/pw');
    expect(pgpassPath({ HOME: '/users/u' })).toBe('/users/u/.pgpass');
  });

  it('reads a 0600 file', () => {
    const file = join(dir, '.pgpass');
    writeFileSync(file, 'db.example.com:5432:app:alice:s3cret\n');
    chmodSync(file, 0o600);
    expect(readPgpassPassword(QUERY, { HOME: dir }, 'linux')).toEqual({
      file,
      password: 's3cret',
      ignored: null,
    });
  });

  it('ignores a group- or world-readable file, like libpq, and says how to fix it', () => {
    const file = join(dir, 'pw');
    writeFileSync(file, '*:*:*:*:s3cret\n');
    chmodSync(file, 0o644);
    const result = readPgpassPassword(QUERY, { PGPASSFILE: file }, 'linux');
    expect(result.password).toBeNull();
    expect(result.ignored).toContain('mode 0644');
    expect(result.ignored).toContain(`chmod 600 ${file}`);
    // Windows has no such modes; libpq skips the check there too.
    expect(readPgpassPassword(QUERY, { PGPASSFILE: file }, 'win32').password).toBe('s3cret');
  });

  it('treats a missing file as no password and a folder as ignored', () => {
    expect(readPgpassPassword(QUERY, { PGPASSFILE: join(dir, 'none') })).toMatchObject({
      password: null,
      ignored: null,
    });
    expect(readPgpassPassword(QUERY, { PGPASSFILE: dir }).ignored).toContain('not a regular file');
  });
});
