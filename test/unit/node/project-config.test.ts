import { describe, expect, it } from 'vitest';
import { hasLiteralPassword, validateProjectConfig } from '../../../electron/node/project-config.ts';
import { EngineError, isEngineError } from '../../../electron/engine/engine-error.ts';

const FILE = '/p/stratum.json';

function problemsOf(raw: unknown): readonly string[] {
  try {
    validateProjectConfig(raw, FILE);
  } catch (error) {
    if (isEngineError(error, 'CONFIG_INVALID')) {
      expect(error.details.file).toBe(FILE);
      return error.details.problems;
    }
    throw error;
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('validateProjectConfig', () => {
  it('applies defaults to a minimal file', () => {
    expect(validateProjectConfig({ dialect: 'sqlite' }, FILE)).toEqual({
      migrations: 'migrations',
      dialect: 'sqlite',
      versionTable: 'stratum_version',
      journalTable: 'stratum_journal',
      environments: {},
      warnings: [],
    });
  });

  it('keeps every field of a full file and defaults an environment tag to local', () => {
    const config = validateProjectConfig(
      {
        migrations: './db/migrations/',
        dialect: 'postgres',
        versionTable: 'alembic_version',
        journalTable: 'audit_journal',
        environments: {
          local: { url: 'sqlite:./dev.db' },
          staging: { url: '${STAGING_DATABASE_URL}', tag: 'staging' },
          prod: { url: 'postgres://deploy:${PGPASSWORD}@db.internal/shop', tag: 'production' },
        },
      },
      FILE,
    );
    expect(config.migrations).toBe('db/migrations');
    expect(config.versionTable).toBe('alembic_version');
    expect(config.journalTable).toBe('audit_journal');
    expect(config.environments).toEqual({
      local: { url: 'sqlite:./dev.db', tag: 'local' },
      staging: { url: '${STAGING_DATABASE_URL}', tag: 'staging' },
      prod: { url: 'postgres://deploy:${PGPASSWORD}@db.internal/shop', tag: 'production' },
    });
  });

  it.each([
    ['not an object', [], 'must contain a JSON object'],
    ['null', null, 'must contain a JSON object'],
  ])('refuses a top level that is %s', (_name, raw, expected) => {
    expect(problemsOf(raw)).toEqual([expect.stringContaining(expected)]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['dialect missing', {}, 'dialect: required; must be one of sqlite, postgres, mysql'],
    [
      'dialect wrong',
      { dialect: 'oracle' },
      'dialect: must be one of sqlite, postgres, mysql (got "oracle")',
    ],
    [
      'dialect mariadb',
      { dialect: 'mariadb' },
      'dialect: must be one of sqlite, postgres, mysql (got "mariadb") (MariaDB is served by "mysql")',
    ],
    [
      'migrations not a string',
      { dialect: 'sqlite', migrations: 3 },
      'migrations: must be a non-empty folder path relative to the project (got 3)',
    ],
    [
      'migrations empty',
      { dialect: 'sqlite', migrations: ' ' },
      'migrations: must be a non-empty folder path',
    ],
    [
      'migrations absolute',
      { dialect: 'sqlite', migrations: '/etc' },
      'migrations: must be a folder path relative to the project, not an absolute path',
    ],
    [
      'migrations escaping',
      { dialect: 'sqlite', migrations: '../other' },
      'migrations: must be a folder inside the project',
    ],
    [
      'versionTable unsafe',
      { dialect: 'sqlite', versionTable: 'v; DROP TABLE x' },
      'versionTable: must be a table name of letters, digits and underscores',
    ],
    ['versionTable leading digit', { dialect: 'sqlite', versionTable: '1version' }, '(got "1version")'],
    ['versionTable too long', { dialect: 'sqlite', versionTable: 'a'.repeat(64) }, 'at most 63 characters'],
    [
      'journalTable not a string',
      { dialect: 'sqlite', journalTable: null },
      'journalTable: must be a table name',
    ],
    [
      'same tables',
      { dialect: 'sqlite', versionTable: 't', journalTable: 't' },
      'journalTable: must differ from versionTable',
    ],
    [
      'environments not an object',
      { dialect: 'sqlite', environments: ['local'] },
      'environments: must be an object mapping names',
    ],
    [
      'environment not an object',
      { dialect: 'sqlite', environments: { local: 'sqlite:x' } },
      'environments.local: must be an object such as',
    ],
    [
      'environment name',
      { dialect: 'sqlite', environments: { 'my env': { url: 'sqlite:x' } } },
      'environments.my env: the name must be',
    ],
    ['url missing', { dialect: 'sqlite', environments: { local: {} } }, 'environments.local.url: required'],
    [
      'url not a string',
      { dialect: 'sqlite', environments: { local: { url: 5 } } },
      'environments.local.url: must be a non-empty string (got 5)',
    ],
    [
      'tag wrong',
      { dialect: 'sqlite', environments: { staging: { url: 'sqlite:x', tag: 'prod' } } },
      'environments.staging.tag: must be one of local, staging, production (got "prod")',
    ],
  ])('reports %s', (_name, raw, expected) => {
    const problems = problemsOf(raw);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(expected);
  });

  it('collects every problem at once, in one error whose message lists them', () => {
    const raw = {
      migrations: '',
      dialect: 'sqlserver',
      versionTable: 'bad-name',
      journalTable: 'also bad',
      environments: {
        staging: { url: 'postgres://app:hunter2@db/shop', tag: 'prod' },
        qa: {},
      },
    };
    let error: unknown;
    try {
      validateProjectConfig(raw, FILE);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EngineError);
    const engineError = error as EngineError<'CONFIG_INVALID'>;
    expect(engineError.code).toBe('CONFIG_INVALID');
    expect(engineError.details.problems.map((p) => p.split(':')[0])).toEqual([
      'migrations',
      'dialect',
      'versionTable',
      'journalTable',
      'environments.staging.url',
      'environments.staging.tag',
      'environments.qa.url',
    ]);
    expect(engineError.message).toContain('7 problems');
    for (const problem of engineError.details.problems) expect(engineError.message).toContain(problem);
    expect(engineError.message).not.toContain('hunter2');
  });

  it('refuses a literal password but accepts ${VAR} in its place', () => {
    const withPassword = {
      dialect: 'postgres',
      environments: { prod: { url: 'postgres://app:s3cret@db/shop' } },
    };
    const problems = problemsOf(withPassword);
    expect(problems).toEqual([
      'environments.prod.url: passwords never live in this file: use ${VAR} or the environment',
    ]);
    expect(() =>
      validateProjectConfig(
        { dialect: 'postgres', environments: { prod: { url: 'postgres://app:${DB_PASSWORD}@db/shop' } } },
        FILE,
      ),
    ).not.toThrow();
  });

  it('returns unknown keys as warnings, not problems', () => {
    const config = validateProjectConfig(
      {
        $schema: './schema.json',
        dialect: 'mysql',
        migrationDir: 'x',
        environments: { local: { url: 'mysql://root@localhost/shop', color: 'red' } },
      },
      FILE,
    );
    expect(config.warnings).toEqual([
      expect.stringMatching(/^migrationDir: unknown setting, ignored/),
      expect.stringMatching(/^environments\.local\.color: unknown setting, ignored/),
    ]);
  });
});

describe('hasLiteralPassword', () => {
  it.each([
    ['postgres://app:pw@h/db', true],
    ['mysql://root:p%40ss@h:3306/db', true],
    ['postgres://h/db?sslmode=require&password=pw', true],
    ['postgres://h/db?password=${PGPASSWORD}', false],
    ['postgres://app:${PGPASSWORD}@h/db', false],
    ['postgres://app@h/db', false],
    ['postgres://app:@h/db', false],
    ['sqlite:./dev.db', false],
    ['${DATABASE_URL}', false],
  ])('%s → %s', (url, expected) => {
    expect(hasLiteralPassword(url)).toBe(expected);
  });
});
