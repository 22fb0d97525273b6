/** MySQL option files (`~/.my.cnf`) and URL parsing, without a server. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mysqlConnectionConfig } from '../../../electron/dialects/mysql/connection-config.ts';
import {
  optionFiles,
  parseOptionFile,
  readOptionFilePassword,
} from '../../../electron/dialects/mysql/option-file.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'stratum-optfile-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

describe('parseOptionFile', () => {
  it.each([
    ['password=secret', 'secret'],
    ['password = secret  ', 'secret'],
    ['password=secret # a comment', 'secret'],
    ['password="se cret # not a comment"', 'se cret # not a comment'],
    ["password='single # quoted'", 'single # quoted'],
    ['password="tab\\there\\\\"', 'tab\there\\'],
    ['password=sp\\sace', 'sp ace'],
    ['pass-word=dash', null],
  ])('%s', (line, expected) => {
    expect(parseOptionFile(`[client]\n${line}\n`).get('password') ?? null).toBe(expected);
  });

  it('reads only the [client] group, skips comments and directives, normalises names', () => {
    const text = [
      '# comment',
      '; another',
      '!includedir /etc/mysql/conf.d/',
      '[mysqld]',
      'password=server',
      '[Client]',
      'ssl-ca = /ca.pem',
      'skip_ssl',
      'password=mine',
      '[mysql]',
      'password=tool',
    ].join('\r\n');
    const options = parseOptionFile(text);
    expect(options.get('password')).toBe('mine');
    expect(options.get('ssl_ca')).toBe('/ca.pem');
    expect(options.get('skip_ssl')).toBeNull();
    expect(parseOptionFile(text, 'mysqld').get('password')).toBe('server');
  });
});

describe('readOptionFilePassword', () => {
  it('reads $MYSQL_HOME/my.cnf then ~/.my.cnf, the later winning', () => {
    const home = folder({ '.my.cnf': '[client]\npassword=from-home\n' });
    const mysqlHome = folder({ 'my.cnf': '[client]\npassword=from-mysql-home\nuser=x\n' });
    expect(optionFiles({ HOME: home, MYSQL_HOME: mysqlHome })).toEqual([
      path.join(mysqlHome, 'my.cnf'),
      path.join(home, '.my.cnf'),
    ]);
    expect(readOptionFilePassword({ HOME: home, MYSQL_HOME: mysqlHome })).toBe('from-home');
    expect(readOptionFilePassword({ MYSQL_HOME: mysqlHome })).toBe('from-mysql-home');
  });

  it('gives null without files, without [client] password, or with a bare "password"', () => {
    expect(readOptionFilePassword({})).toBeNull();
    expect(readOptionFilePassword({ HOME: '/nonexistent' })).toBeNull();
    expect(readOptionFilePassword({ HOME: folder({ '.my.cnf': '[mysql]\npassword=x\n' }) })).toBeNull();
    expect(readOptionFilePassword({ HOME: folder({ '.my.cnf': '[client]\npassword\n' }) })).toBeNull();
  });
});

describe('mysqlConnectionConfig', () => {
  const target = (url: string, env: Record<string, string> = {}) => ({
    url,
    baseDir: '/',
    create: false,
    env,
  });

  it('parses user, password, host, port, database; hides the password; names the program', () => {
    const config = mysqlConnectionConfig(target('mariadb://app:p%40ss@db.example:3307/shop%5Fv2'));
    expect(config).toMatchObject({
      host: 'db.example',
      port: 3307,
      user: 'app',
      database: 'shop_v2',
      sslMode: 'disabled',
      connectTimeoutMs: 10_000,
      hasPassword: true,
      description: 'mariadb://app:***@db.example:3307/shop%5Fv2',
    });
    expect(config.options).toMatchObject({
      password: 'p@ss',
      multipleStatements: false,
      dateStrings: true,
      connectAttributes: { program_name: 'stratum', _pid: String(process.pid) },
    });
    expect(mysqlConnectionConfig(target('mysql://u@[::1]/d')).host).toBe('::1');
    expect(mysqlConnectionConfig(target('mysql://u@h/d')).port).toBe(3306);
  });

  it('takes the password from ~/.my.cnf only when the URL has none', () => {
    const home = folder({ '.my.cnf': '[client]\npassword=filed\n' });
    expect(mysqlConnectionConfig(target('mysql://u@h/d', { HOME: home })).options.password).toBe('filed');
    expect(mysqlConnectionConfig(target('mysql://u:given@h/d', { HOME: home })).options.password).toBe(
      'given',
    );
    expect(mysqlConnectionConfig(target('mysql://u@h/d', { HOME: '/nonexistent' })).hasPassword).toBe(false);
  });

  it('maps ssl modes and connect_timeout', () => {
    const ca = path.join(folder({ 'ca.pem': 'PEM' }), 'ca.pem');
    const ssl = (query: string) => mysqlConnectionConfig(target(`mysql://u@h/d?${query}`));
    expect(ssl('ssl=true').options.ssl).toEqual({ rejectUnauthorized: false, verifyIdentity: false });
    expect(ssl('ssl=required').sslMode).toBe('required');
    expect(ssl(`ssl=verify_ca&ssl-ca=${ca}`).options.ssl).toEqual({
      ca: 'PEM',
      rejectUnauthorized: true,
      verifyIdentity: false,
    });
    expect(ssl(`ssl-ca=${ca}`).sslMode).toBe('verify_ca');
    expect(ssl('ssl=verify_identity').options.ssl).toEqual({
      rejectUnauthorized: true,
      verifyIdentity: true,
    });
    // For an IP address mysql2 would check the name "localhost"; driver-connection.ts checks it instead.
    for (const host of ['127.0.0.1', '[::1]']) {
      const config = mysqlConnectionConfig(target(`mysql://u@${host}/d?ssl=verify_identity`));
      expect(config.sslMode).toBe('verify_identity');
      expect(config.options.ssl).toEqual({ rejectUnauthorized: true, verifyIdentity: false });
    }
    expect(ssl('ssl=false').options.ssl).toBeUndefined();
    expect(ssl('connect_timeout=2.5').connectTimeoutMs).toBe(2500);
  });

  it.each([
    ['mysql://u@h/', 'names no database'],
    ['mysql://u@h/d?ssl=maybe', 'ssl=maybe'],
    ['mysql://u@h/d?sslmode=require', 'unknown parameter "sslmode"'],
    ['mysql://u@h/d?connect_timeout=0', 'connect_timeout=0'],
    ['mysql://u@h/d?ssl-ca=/nonexistent/ca.pem', 'ssl-ca file cannot be read'],
    ['postgres://u@h/d', 'mysql://'],
  ])('refuses %s', (url, reason) => {
    expect(() => mysqlConnectionConfig(target(url))).toThrow(reason);
    try {
      mysqlConnectionConfig(target(url.replace('u@', 'u:topsecret@')));
    } catch (error) {
      expect((error as Error).message).not.toContain('topsecret');
    }
  });
});
