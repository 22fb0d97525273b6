/**
 * Chooses the database a command talks to (DESIGN.md §1): `--url`, `--env NAME`, `DATABASE_URL`
 * or the project's obvious environment, with `${VAR}` expansion, and hides passwords for output.
 */
import { EngineError } from '../engine/engine-error.ts';
import type { Dialect, EnvironmentTag } from '../../shared/model/dialect.ts';
import type { ProjectConfig } from './project-config.ts';

/** The environment variable used when no environment is named (DESIGN.md §1). */
export const DATABASE_URL_VARIABLE = 'DATABASE_URL';

/** The environment picked when a project has several and none is named. */
export const DEFAULT_ENVIRONMENT = 'local';

/** What {@link resolveDatabaseUrl} needs. */
export interface ResolveDatabaseUrlOptions {
  readonly project: Pick<ProjectConfig, 'environments' | 'dialect'>;
  /** `--env NAME`. */
  readonly envName?: string | undefined;
  /** `--url URL`: wins over everything else. */
  readonly url?: string | undefined;
  /** The process environment (injected: tests pass their own). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The database a command will use. */
export interface ResolvedDatabaseUrl {
  /** The URL with `${VAR}`s expanded. May contain a password: print {@link redactUrl} of it. */
  readonly url: string;
  /** The environment the URL belongs to, or null for a URL given directly that matches none. */
  readonly envName: string | null;
  readonly tag: EnvironmentTag;
  readonly dialect: Dialect;
}

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
const SCHEME_DIALECTS: Readonly<Record<string, Dialect>> = {
  sqlite: 'sqlite',
  postgres: 'postgres',
  postgresql: 'postgres',
  mysql: 'mysql',
  mariadb: 'mysql',
};
const URL_FORMS = 'sqlite:PATH, postgres://…, postgresql://…, mysql://… or mariadb://…';

/**
 * Resolves which database URL to use. Precedence: `url` (`--url`), then `envName` (`--env`), then
 * `DATABASE_URL`, then the project's only environment or the one named `local`.
 *
 * A URL given directly (`--url`, `DATABASE_URL`) that equals a configured environment's URL takes
 * that environment's name and tag, so a production database keeps its safety prompts however it
 * is reached; otherwise its tag is `local`, the documented default.
 *
 * @throws EngineError `ENVIRONMENT_NOT_FOUND` for an unknown `--env`; `URL_INVALID` for a missing
 * `${VAR}`, an unknown scheme, or a URL whose dialect differs from the project's; `USAGE` when
 * nothing says which database to use.
 */
export function resolveDatabaseUrl(options: ResolveDatabaseUrlOptions): ResolvedDatabaseUrl {
  const { project, env } = options;
  const names = Object.keys(project.environments);

  if (options.url !== undefined) return direct(options.url, '--url', options);
  if (options.envName !== undefined) {
    const environment = project.environments[options.envName];
    if (environment === undefined) {
      const available =
        names.length === 0 ? 'this project defines no environments' : `available: ${names.join(', ')}`;
      throw new EngineError(
        'ENVIRONMENT_NOT_FOUND',
        `No environment named "${options.envName}" in stratum.json (${available}).`,
        { name: options.envName, available: names },
      );
    }
    return fromEnvironment(options.envName, options);
  }
  const fromVariable = env[DATABASE_URL_VARIABLE];
  if (fromVariable !== undefined && fromVariable !== '')
    return direct(fromVariable, DATABASE_URL_VARIABLE, options);

  const implicit =
    names.length === 1 ? names[0] : names.includes(DEFAULT_ENVIRONMENT) ? DEFAULT_ENVIRONMENT : undefined;
  if (implicit !== undefined) return fromEnvironment(implicit, options);

  const choices =
    names.length === 0
      ? `Pass --url URL, set ${DATABASE_URL_VARIABLE}, or add an environment to stratum.json.`
      : `Pass --env NAME (one of ${names.join(', ')}), --url URL, or set ${DATABASE_URL_VARIABLE}.`;
  throw new EngineError('USAGE', `Which database? ${choices}`, { argument: '--env' });
}

/**
 * Hides the password of a database URL, for messages and logs: `postgres://u:***@h/db`. Also
 * hides `password=` query parameters. URLs without a password come back unchanged.
 */
export function redactUrl(url: string): string {
  const withoutUserInfoPassword = url.replace(
    // Greedy up to the last `@` before the host, as WHATWG URL (pg, mysql2) reads a raw `@` in a password.
    /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#]*)@/,
    (whole, scheme: string, userInfo: string) => {
      const colon = userInfo.indexOf(':');
      return colon < 0 ? whole : `${scheme}${userInfo.slice(0, colon)}:***@`;
    },
  );
  return withoutUserInfoPassword.replace(/([?&]password=)[^&#]*/gi, '$1***');
}

/** The dialect a URL's scheme names, or null for an unknown scheme. */
export function dialectOfUrl(url: string): Dialect | null {
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  return scheme === undefined ? null : (SCHEME_DIALECTS[scheme] ?? null);
}

function direct(raw: string, source: string, options: ResolveDatabaseUrlOptions): ResolvedDatabaseUrl {
  const url = expand(raw, source, options.env);
  const dialect = checkUrl(url, source, options.project.dialect);
  const match = matchingEnvironment(url, options);
  return { url, envName: match?.name ?? null, tag: match?.tag ?? 'local', dialect };
}

function fromEnvironment(name: string, options: ResolveDatabaseUrlOptions): ResolvedDatabaseUrl {
  // Callers only pass names taken from `environments`.
  const environment = options.project.environments[name]!;
  const source = `environment "${name}"`;
  const url = expand(environment.url, source, options.env);
  const dialect = checkUrl(url, source, options.project.dialect);
  return { url, envName: name, tag: environment.tag, dialect };
}

function matchingEnvironment(
  url: string,
  options: ResolveDatabaseUrlOptions,
): { name: string; tag: EnvironmentTag } | null {
  for (const [name, environment] of Object.entries(options.project.environments)) {
    try {
      if (expand(environment.url, name, options.env) === url) return { name, tag: environment.tag };
    } catch {
      // An environment whose variables are unset cannot be the one meant.
    }
  }
  return null;
}

/**
 * Expands `${VAR}` references. A value substituted into the user-info part of a server URL is
 * percent-encoded unless it already looks encoded, so a password containing `@` or `/` works.
 */
function expand(raw: string, source: string, env: Readonly<Record<string, string | undefined>>): string {
  const userInfoEnd = userInfoEndOf(raw);
  const expanded = raw.replace(REFERENCE, (_whole, name: string, offset: number) => {
    const value = env[name];
    if (value === undefined) {
      throw new EngineError(
        'URL_INVALID',
        `The database URL of ${source} uses \${${name}}, but ${name} is not set. Set it in the environment and try again.`,
        { url: redactUrl(raw), reason: `variable ${name} is not set (${source})` },
      );
    }
    const inUserInfo = offset < userInfoEnd;
    return inUserInfo && !/%[0-9A-Fa-f]{2}/.test(value) ? encodeURIComponent(value) : value;
  });
  if (expanded.trim() === '') {
    throw new EngineError('URL_INVALID', `The database URL of ${source} is empty.`, {
      url: redactUrl(raw),
      reason: `empty URL (${source})`,
    });
  }
  return expanded;
}

/** Offset of the `@` ending a `scheme://user:pass@` prefix, or -1 when the URL has no user-info. */
function userInfoEndOf(url: string): number {
  const match = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*@/.exec(url);
  return match === null ? -1 : match[0].length - 1;
}

function checkUrl(url: string, source: string, projectDialect: Dialect): Dialect {
  const shown = redactUrl(url);
  const fail = (reason: string, hint: string): never => {
    throw new EngineError('URL_INVALID', `The database URL of ${source} (${shown}) ${hint}`, {
      url: shown,
      reason,
    });
  };
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) return fail('no scheme', `has no scheme; write it as ${URL_FORMS}.`);
  const dialect = SCHEME_DIALECTS[scheme];
  if (dialect === undefined)
    return fail(`unknown scheme "${scheme}:"`, `has an unknown scheme "${scheme}:"; use ${URL_FORMS}.`);
  const rest = url.slice(scheme.length + 1);
  if (dialect === 'sqlite') {
    if (rest === '' || rest === '//' || rest === '///')
      return fail('no file path', 'names no file; write sqlite:PATH, e.g. sqlite:./dev.db.');
  } else if (!rest.startsWith('//')) {
    return fail('missing "//"', `must start with ${scheme}://, e.g. ${scheme}://user@host:port/database.`);
  }
  if (dialect !== projectDialect) {
    return fail(
      `dialect ${dialect} differs from the project's ${projectDialect}`,
      `is a ${dialect} database, but this project's migrations are written for ${projectDialect} (stratum.json "dialect").`,
    );
  }
  return dialect;
}

/**
 * Takes the password out of a server URL (`scheme://user:pw@host` or `?password=`): the app stores
 * the URL without it and seals the password separately. Returns the URL unchanged when it has none,
 * and always for a SQLite URL.
 */
export function splitUrlPassword(url: string): { url: string; password: string | null } {
  // A SQLite URL is a file path taken literally: `sqlite://a:b@c.db` names a file, not a user.
  if (dialectOfUrl(url) === 'sqlite') return { url, password: null };
  let password: string | null = null;
  let rest = url.replace(
    // Up to the last `@` before the host, as drivers read it: `u:p@ss@h` is user u, password p@ss.
    /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#]*)@/,
    (whole, scheme: string, info: string) => {
      const colon = info.indexOf(':');
      if (colon < 0) return whole;
      password = safeDecode(info.slice(colon + 1));
      return `${scheme}${info.slice(0, colon)}@`;
    },
  );
  // Every `password=` parameter goes (a repeated one must not stay behind in the stored URL); the
  // last one wins, as in the drivers' own parsing.
  rest = rest.replace(/(?<=[?&])password=([^&#]*)&?/gi, (_whole, value: string) => {
    password = safeDecode(value);
    return '';
  });
  return { url: rest.replace(/[?&](?=#|$)/, ''), password };
}

/**
 * Puts `password` into a server URL's user info (percent-encoded), replacing any there. SQLite URLs
 * come back unchanged.
 */
export function withUrlPassword(url: string, password: string): string {
  const encoded = encodeURIComponent(password);
  const match = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#]*@)?/.exec(url);
  // SQLite has no passwords: its URL is a path, which `sqlite:///abs.db` must stay.
  if (match === null || dialectOfUrl(url) === 'sqlite') return url;
  const scheme = match[1]!;
  const info = match[2];
  const user = info === undefined ? '' : info.slice(0, -1).split(':')[0]!;
  return `${scheme}${user}:${encoded}@${url.slice(match[0].length)}`;
}

/**
 * The database's own name in a URL, which a production run is confirmed with: the path of a server
 * URL (`shop` in `postgres://h/shop`) or the file name of a SQLite URL. Null when it has none.
 */
export function databaseNameOfUrl(url: string): string | null {
  if (/^sqlite:/i.test(url)) {
    const file = url.replace(/^sqlite:(\/\/)?/i, '').replace(/\?.*$/, '');
    const name = file.split(/[\\/]/).pop() ?? '';
    return name === '' || name === ':memory:' ? null : name;
  }
  const path = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*\/([^?#]*)/.exec(url)?.[1];
  return path === undefined || path === '' ? null : safeDecode(path);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
