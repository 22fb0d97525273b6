/**
 * `stratum.json`, the file at the root of a migrations project (DESIGN.md §1): its shape, its
 * defaults and a validator that reports every problem at once.
 */
import { EngineError } from '../engine/engine-error.ts';
import { DIALECTS, ENVIRONMENT_TAGS, isDialect } from '../../shared/model/dialect.ts';
import type { Dialect, EnvironmentTag } from '../../shared/model/dialect.ts';

/** The name of the project file the CLI and the app look for. */
export const PROJECT_FILE_NAME = 'stratum.json';

/** Defaults of the optional fields of `stratum.json`. */
export const PROJECT_DEFAULTS = {
  migrations: 'migrations',
  versionTable: 'stratum_version',
  journalTable: 'stratum_journal',
  tag: 'local',
} as const;

/** One named database of a project, e.g. `staging`. */
export interface EnvironmentConfig {
  /** A database URL, possibly with `${VAR}` references expanded at connection time. */
  readonly url: string;
  readonly tag: EnvironmentTag;
}

/** A validated `stratum.json`, defaults applied. */
export interface ProjectConfig {
  /** The migrations folder, relative to the project root, with `/` separators. */
  readonly migrations: string;
  readonly dialect: Dialect;
  readonly versionTable: string;
  readonly journalTable: string;
  /** Named environments; empty when the file has none. */
  readonly environments: Readonly<Record<string, EnvironmentConfig>>;
  /** Things worth telling the user that do not stop the project from loading (unknown keys). */
  readonly warnings: readonly string[];
}

/** A table name every dialect accepts unquoted (and within PostgreSQL's 63-byte limit). */
const SAFE_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
/** Environment names are typed after `--env`, so keep them shell-friendly. */
const ENVIRONMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/** A whole-value `${VAR}` reference. */
const VARIABLE_REFERENCE = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;

const TOP_LEVEL_KEYS = ['migrations', 'dialect', 'versionTable', 'journalTable', 'environments'];
const ENVIRONMENT_KEYS = ['url', 'tag'];
/** Keys accepted for forward compatibility without a warning (editors add `$schema`). */
const IGNORED_KEYS = ['$schema'];

/**
 * Validates the parsed content of a `stratum.json` and applies defaults.
 *
 * Every problem is collected (one message per bad field, naming the field path and what is
 * allowed) before anything is thrown, so a user fixes the file in one pass. Unknown keys are not
 * errors: they come back as `warnings`, so a newer file still loads in an older Stratum.
 *
 * @param raw - the value `JSON.parse` returned.
 * @param file - the file's path, for messages.
 * @throws EngineError `CONFIG_INVALID` with `{file, problems}`.
 * @example
 * const config = validateProjectConfig({ dialect: 'sqlite' }, 'stratum.json');
 * config.versionTable; // 'stratum_version'
 */
export function validateProjectConfig(raw: unknown, file: string): ProjectConfig {
  const problems: string[] = [];
  const warnings: string[] = [];
  if (!isPlainObject(raw)) {
    throw invalid(file, [
      `the file must contain a JSON object such as {"dialect": "sqlite"} (got ${describe(raw)})`,
    ]);
  }

  for (const key of Object.keys(raw)) {
    if (!TOP_LEVEL_KEYS.includes(key) && !IGNORED_KEYS.includes(key)) {
      warnings.push(`${key}: unknown setting, ignored (known settings: ${TOP_LEVEL_KEYS.join(', ')})`);
    }
  }

  const migrations = checkMigrationsFolder(raw.migrations, problems);
  const dialect = checkDialect(raw.dialect, problems);
  const versionTable = checkTableName(
    'versionTable',
    raw.versionTable,
    PROJECT_DEFAULTS.versionTable,
    problems,
  );
  const journalTable = checkTableName(
    'journalTable',
    raw.journalTable,
    PROJECT_DEFAULTS.journalTable,
    problems,
  );
  if (versionTable !== null && versionTable === journalTable) {
    problems.push(`journalTable: must differ from versionTable (both are "${versionTable}")`);
  }
  const environments = checkEnvironments(raw.environments, problems, warnings);

  if (
    problems.length > 0 ||
    migrations === null ||
    dialect === null ||
    versionTable === null ||
    journalTable === null
  ) {
    throw invalid(file, problems);
  }
  return { migrations, dialect, versionTable, journalTable, environments, warnings };
}

/**
 * Whether a database URL carries a literal password (in its user-info or a `password=` query
 * parameter). A `${VAR}` reference in place of the password is not a literal password.
 */
export function hasLiteralPassword(url: string): boolean {
  const userInfo = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)@/.exec(url)?.[1];
  if (userInfo !== undefined) {
    const colon = userInfo.indexOf(':');
    if (colon >= 0) {
      const password = userInfo.slice(colon + 1);
      if (password !== '' && !VARIABLE_REFERENCE.test(password)) return true;
    }
  }
  const query = url.indexOf('?');
  if (query >= 0) {
    for (const pair of url.slice(query + 1).split('&')) {
      const [name = '', value = ''] = pair.split('=', 2);
      if (/^password$/i.test(name) && value !== '' && !VARIABLE_REFERENCE.test(decodeSafely(value)))
        return true;
    }
  }
  return false;
}

function checkMigrationsFolder(value: unknown, problems: string[]): string | null {
  if (value === undefined) return PROJECT_DEFAULTS.migrations;
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push(
      `migrations: must be a non-empty folder path relative to the project (got ${describe(value)})`,
    );
    return null;
  }
  const normalized = value.replaceAll('\\', '/');
  // Revision file paths are project-relative (ports.ts SourceFile), so the folder must be inside it.
  if (normalized.startsWith('/') || /^[A-Za-z]:/.test(normalized)) {
    problems.push(
      `migrations: must be a folder path relative to the project, not an absolute path (got ${describe(value)})`,
    );
    return null;
  }
  const parts = normalized.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) {
    problems.push(`migrations: must be a folder inside the project, without ".." (got ${describe(value)})`);
    return null;
  }
  return parts.length === 0 ? '.' : parts.join('/');
}

function checkDialect(value: unknown, problems: string[]): Dialect | null {
  if (value === undefined) {
    problems.push(`dialect: required; must be one of ${DIALECTS.join(', ')}`);
    return null;
  }
  if (!isDialect(value)) {
    const hint =
      value === 'mariadb'
        ? ' (MariaDB is served by "mysql")'
        : value === 'postgresql'
          ? ' (use "postgres")'
          : '';
    problems.push(`dialect: must be one of ${DIALECTS.join(', ')} (got ${describe(value)})${hint}`);
    return null;
  }
  return value;
}

function checkTableName(field: string, value: unknown, fallback: string, problems: string[]): string | null {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !SAFE_IDENTIFIER.test(value)) {
    problems.push(
      `${field}: must be a table name of letters, digits and underscores, not starting with a digit, at most 63 characters (got ${describe(value)})`,
    );
    return null;
  }
  return value;
}

function checkEnvironments(
  value: unknown,
  problems: string[],
  warnings: string[],
): Readonly<Record<string, EnvironmentConfig>> {
  const environments: Record<string, EnvironmentConfig> = {};
  if (value === undefined) return environments;
  if (!isPlainObject(value)) {
    problems.push(
      `environments: must be an object mapping names to {"url": …, "tag": …} (got ${describe(value)})`,
    );
    return environments;
  }
  for (const [name, entry] of Object.entries(value)) {
    const path = `environments.${name}`;
    if (!ENVIRONMENT_NAME.test(name)) {
      problems.push(
        `${path}: the name must be letters, digits, "_", "." or "-", starting with a letter or digit`,
      );
    }
    if (!isPlainObject(entry)) {
      problems.push(
        `${path}: must be an object such as {"url": "sqlite:./dev.db", "tag": "local"} (got ${describe(entry)})`,
      );
      continue;
    }
    for (const key of Object.keys(entry)) {
      if (!ENVIRONMENT_KEYS.includes(key)) {
        warnings.push(
          `${path}.${key}: unknown setting, ignored (known settings: ${ENVIRONMENT_KEYS.join(', ')})`,
        );
      }
    }
    const url = checkUrl(path, entry.url, problems);
    const tag = checkTag(path, entry.tag, problems);
    if (url !== null && tag !== null) environments[name] = { url, tag };
  }
  return environments;
}

function checkUrl(path: string, value: unknown, problems: string[]): string | null {
  if (value === undefined) {
    problems.push(`${path}.url: required; a database URL such as "sqlite:./dev.db" or "\${DATABASE_URL}"`);
    return null;
  }
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push(`${path}.url: must be a non-empty string (got ${describe(value)})`);
    return null;
  }
  if (hasLiteralPassword(value)) {
    // Never echo the value: it contains the password.
    problems.push(`${path}.url: passwords never live in this file: use \${VAR} or the environment`);
    return null;
  }
  return value;
}

function checkTag(path: string, value: unknown, problems: string[]): EnvironmentTag | null {
  if (value === undefined) return PROJECT_DEFAULTS.tag;
  if (typeof value !== 'string' || !(ENVIRONMENT_TAGS as readonly string[]).includes(value)) {
    problems.push(`${path}.tag: must be one of ${ENVIRONMENT_TAGS.join(', ')} (got ${describe(value)})`);
    return null;
  }
  return value as EnvironmentTag;
}

function invalid(file: string, problems: readonly string[]): EngineError<'CONFIG_INVALID'> {
  const count = problems.length === 1 ? 'a problem' : `${problems.length} problems`;
  const list = problems.map((problem) => `  - ${problem}`).join('\n');
  return new EngineError('CONFIG_INVALID', `${file} has ${count}; fix it and try again:\n${list}`, {
    file,
    problems,
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short rendering of a wrong value for messages: strings quoted, containers named. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}

function decodeSafely(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
