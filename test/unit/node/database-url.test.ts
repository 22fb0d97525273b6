import { describe, expect, it } from 'vitest';
import { dialectOfUrl, redactUrl, resolveDatabaseUrl } from '../../../electron/node/database-url.ts';
import type { ResolveDatabaseUrlOptions } from '../../../electron/node/database-url.ts';
import { isEngineError } from '../../../electron/engine/engine-error.ts';
import type { EngineError } from '../../../electron/engine/engine-error.ts';
import type { ErrorCode } from '../../../shared/contract/error-codes.ts';
import type { ProjectConfig } from '../../../electron/node/project-config.ts';

type Project = ResolveDatabaseUrlOptions['project'];

const postgresProject: Project = {
  dialect: 'postgres',
  environments: {
    local: { url: 'postgres://dev@localhost/shop_dev', tag: 'local' },
    staging: { url: '${STAGING_DATABASE_URL}', tag: 'staging' },
    production: { url: 'postgres://deploy:${PROD_PASSWORD}@db.internal:5432/shop', tag: 'production' },
  },
};

function failure<C extends ErrorCode>(code: C, options: ResolveDatabaseUrlOptions): EngineError<C> {
  try {
    resolveDatabaseUrl(options);
  } catch (error) {
    if (isEngineError(error, code)) return error;
    throw error;
  }
  throw new Error(`expected ${code}`);
}

describe('resolveDatabaseUrl precedence', () => {
  const env = {
    DATABASE_URL: 'postgres://ci@ci-db/shop',
    STAGING_DATABASE_URL: 'postgres://st@staging/shop',
  };

  it('--url wins over --env and DATABASE_URL', () => {
    expect(
      resolveDatabaseUrl({
        project: postgresProject,
        url: 'postgresql://me@other/x',
        envName: 'staging',
        env,
      }),
    ).toEqual({
      url: 'postgresql://me@other/x',
      envName: null,
      tag: 'local',
      dialect: 'postgres',
    });
  });

  it('--env comes next', () => {
    expect(resolveDatabaseUrl({ project: postgresProject, envName: 'staging', env })).toEqual({
      url: 'postgres://st@staging/shop',
      envName: 'staging',
      tag: 'staging',
      dialect: 'postgres',
    });
  });

  it('then DATABASE_URL', () => {
    expect(resolveDatabaseUrl({ project: postgresProject, env })).toMatchObject({
      url: 'postgres://ci@ci-db/shop',
      envName: null,
    });
  });

  it('then the environment named local when there are several', () => {
    expect(resolveDatabaseUrl({ project: postgresProject, env: {} })).toMatchObject({
      envName: 'local',
      tag: 'local',
    });
  });

  it('then the only environment, whatever its name', () => {
    const project: Project = {
      dialect: 'sqlite',
      environments: { dev: { url: 'sqlite:./dev.db', tag: 'local' } },
    };
    expect(resolveDatabaseUrl({ project, env: { DATABASE_URL: '' } })).toEqual({
      url: 'sqlite:./dev.db',
      envName: 'dev',
      tag: 'local',
      dialect: 'sqlite',
    });
  });

  it('otherwise asks which database, listing the environments', () => {
    const project: Project = {
      dialect: 'postgres',
      environments: {
        qa: { url: 'postgres://h/qa', tag: 'staging' },
        prod: { url: 'postgres://h/p', tag: 'production' },
      },
    };
    const error = failure('USAGE', { project, env: {} });
    expect(error.message).toContain('--env NAME (one of qa, prod)');
    expect(error.message).toContain('DATABASE_URL');
    const none = failure('USAGE', { project: { dialect: 'sqlite', environments: {} }, env: {} });
    expect(none.message).toContain('add an environment to stratum.json');
  });

  it('a direct URL equal to an environment URL takes its name and tag (safety prompts still apply)', () => {
    const prodUrl = 'postgres://deploy:s%40fe@db.internal:5432/shop';
    const resolved = resolveDatabaseUrl({
      project: postgresProject,
      url: prodUrl,
      env: { PROD_PASSWORD: 's@fe' },
    });
    expect(resolved).toMatchObject({ envName: 'production', tag: 'production' });
  });
});

describe('resolveDatabaseUrl errors', () => {
  it('ENVIRONMENT_NOT_FOUND lists the available names', () => {
    const error = failure('ENVIRONMENT_NOT_FOUND', { project: postgresProject, envName: 'prod', env: {} });
    expect(error.details).toEqual({ name: 'prod', available: ['local', 'staging', 'production'] });
    expect(error.message).toContain('available: local, staging, production');
  });

  it('a missing ${VAR} is URL_INVALID naming the variable and the environment', () => {
    const error = failure('URL_INVALID', { project: postgresProject, envName: 'staging', env: {} });
    expect(error.message).toContain('STAGING_DATABASE_URL is not set');
    expect(error.message).toContain('environment "staging"');
    expect(error.details.reason).toContain('STAGING_DATABASE_URL');
  });

  it('expands several variables and percent-encodes a password that needs it', () => {
    const project: Project = {
      dialect: 'mysql',
      environments: { local: { url: 'mysql://${DB_USER}:${DB_PASS}@${DB_HOST}/shop', tag: 'local' } },
    };
    const resolved = resolveDatabaseUrl({
      project,
      env: { DB_USER: 'app', DB_PASS: 'p@ss/w:rd', DB_HOST: 'db:3306' },
    });
    expect(resolved.url).toBe('mysql://app:p%40ss%2Fw%3Ard@db:3306/shop');
    const preEncoded = resolveDatabaseUrl({
      project,
      env: { DB_USER: 'app', DB_PASS: 'p%40ss', DB_HOST: 'db' },
    });
    expect(preEncoded.url).toBe('mysql://app:p%40ss@db/shop');
  });

  it.each([
    ['oracle://h/db', 'unknown scheme "oracle:"'],
    ['./dev.db', 'no scheme'],
    ['postgres:db', 'missing "//"'],
  ])('refuses %s', (url, reason) => {
    const error = failure('URL_INVALID', { project: postgresProject, url, env: {} });
    expect(error.details.reason).toBe(reason);
  });

  it('refuses an empty sqlite path and a dialect other than the project one', () => {
    const sqliteProject: Project = { dialect: 'sqlite', environments: {} };
    expect(failure('URL_INVALID', { project: sqliteProject, url: 'sqlite:', env: {} }).details.reason).toBe(
      'no file path',
    );
    const mismatch = failure('URL_INVALID', {
      project: sqliteProject,
      env: { DATABASE_URL: 'mysql://root:pw@h/db' },
    });
    expect(mismatch.message).toContain('DATABASE_URL');
    expect(mismatch.message).toContain('written for sqlite');
    expect(mismatch.message).not.toContain('pw@');
    expect(mismatch.details.url).toBe('mysql://root:***@h/db');
  });

  it('never puts a password in URL_INVALID details', () => {
    const error = failure('URL_INVALID', {
      project: postgresProject,
      url: 'oracle://u:topsecret@h/db',
      env: {},
    });
    expect(JSON.stringify(error.toPayload())).not.toContain('topsecret');
  });

  it('accepts a full ProjectConfig', () => {
    const config: ProjectConfig = {
      migrations: 'migrations',
      dialect: 'sqlite',
      versionTable: 'stratum_version',
      journalTable: 'stratum_journal',
      environments: {},
      warnings: [],
    };
    expect(resolveDatabaseUrl({ project: config, url: 'sqlite::memory:', env: {} }).dialect).toBe('sqlite');
  });
});

describe('dialectOfUrl', () => {
  it.each([
    ['sqlite:./x.db', 'sqlite'],
    ['SQLITE:///abs/x.db', 'sqlite'],
    ['postgres://h/db', 'postgres'],
    ['postgresql://h/db', 'postgres'],
    ['mysql://h/db', 'mysql'],
    ['mariadb://h/db', 'mysql'],
    ['mongodb://h/db', null],
    ['no-scheme', null],
  ])('%s → %s', (url, dialect) => {
    expect(dialectOfUrl(url)).toBe(dialect);
  });
});

describe('redactUrl', () => {
  it.each([
    ['postgres://u:secret@h/db', 'postgres://u:***@h/db'],
    ['mysql://root:p%40ss@h:3306/db?ssl=true', 'mysql://root:***@h:3306/db?ssl=true'],
    ['postgres://u@h/db', 'postgres://u@h/db'],
    [
      'postgres://h/db?sslmode=require&password=x&user=u',
      'postgres://h/db?sslmode=require&password=***&user=u',
    ],
    ['postgres://h/db?PASSWORD=x', 'postgres://h/db?PASSWORD=***'],
    ['sqlite:./dev.db', 'sqlite:./dev.db'],
    ['postgres://u:${PGPASSWORD}@h/db', 'postgres://u:***@h/db'],
  ])('%s → %s', (url, redacted) => {
    expect(redactUrl(url)).toBe(redacted);
  });
});
