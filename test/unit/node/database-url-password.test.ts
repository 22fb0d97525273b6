/**
 * Moving passwords out of database URLs and back (the app stores URLs without them and seals the
 * password separately, DESIGN.md §7), and the database name a production run is confirmed with.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  databaseNameOfUrl,
  redactUrl,
  splitUrlPassword,
  withUrlPassword,
} from '../../../electron/node/database-url.ts';

describe('splitUrlPassword', () => {
  it.each([
    ['postgres://deploy:s3cret@db.internal:5432/shop', 'postgres://deploy@db.internal:5432/shop', 's3cret'],
    ['mysql://root:pw@127.0.0.1:3306/shop?ssl=true', 'mysql://root@127.0.0.1:3306/shop?ssl=true', 'pw'],
    ['mariadb://app:x@h/db', 'mariadb://app@h/db', 'x'],
    ['postgresql://u:@h/db', 'postgresql://u@h/db', ''],
  ])('takes the user-info password out of %s', (input, url, password) => {
    expect(splitUrlPassword(input)).toEqual({ url, password });
  });

  it('percent-decodes the password it takes out', () => {
    expect(splitUrlPassword('postgres://u:p%40ss%3Aw%2Frd%25@h/db')).toEqual({
      url: 'postgres://u@h/db',
      password: 'p@ss:w/rd%',
    });
    // A malformed escape is kept as written rather than thrown on.
    expect(splitUrlPassword('postgres://u:100%@h/db')).toEqual({
      url: 'postgres://u@h/db',
      password: '100%',
    });
  });

  it('splits at the last @ before the host, as drivers do, so nothing of the password stays behind', () => {
    // Users paste passwords with a raw "@"; WHATWG URL (pg, mysql2) ends the user info at the last one.
    expect(splitUrlPassword('postgres://deploy:p@ss@db.internal/shop')).toEqual({
      url: 'postgres://deploy@db.internal/shop',
      password: 'p@ss',
    });
  });

  it.each([
    ['postgres://u@h/db?password=q%26x', 'postgres://u@h/db', 'q&x'],
    ['postgres://u@h/db?password=q&sslmode=require', 'postgres://u@h/db?sslmode=require', 'q'],
    ['postgres://u@h/db?sslmode=require&password=q', 'postgres://u@h/db?sslmode=require', 'q'],
    ['mysql://u@h/db?ssl=true&PASSWORD=q&charset=utf8', 'mysql://u@h/db?ssl=true&charset=utf8', 'q'],
    ['postgres://u@h/db?password=q#top', 'postgres://u@h/db#top', 'q'],
  ])('takes a ?password= parameter out of %s', (input, url, password) => {
    expect(splitUrlPassword(input)).toEqual({ url, password });
  });

  it('leaves no password behind when the URL carries several', () => {
    // The last one wins, as in the drivers' own parsing; none stays in the URL that is stored.
    expect(splitUrlPassword('postgres://u:one@h/db?password=two&x=1&password=three')).toEqual({
      url: 'postgres://u@h/db?x=1',
      password: 'three',
    });
  });

  it('keeps look-alike parameters', () => {
    expect(splitUrlPassword('postgres://u@h/db?old_password=x&passwordless=1')).toEqual({
      url: 'postgres://u@h/db?old_password=x&passwordless=1',
      password: null,
    });
  });

  it.each([
    'postgres://h/db',
    'postgres://deploy@h:5432/db',
    'mysql://root@127.0.0.1:3306/',
    'postgres://${DB_USER}@h/${DB_NAME}',
  ])('returns %s unchanged when it has no password', (url) => {
    expect(splitUrlPassword(url)).toEqual({ url, password: null });
  });

  it.each(['sqlite:./dev.db', 'sqlite:/var/data/app.db', 'sqlite:///var/data/app.db', 'sqlite::memory:'])(
    'leaves the SQLite URL %s alone',
    (url) => {
      expect(splitUrlPassword(url)).toEqual({ url, password: null });
    },
  );

  it('never reads a SQLite file name as user info (the path is taken literally)', () => {
    for (const url of ['sqlite://a:b@c.db', 'sqlite:./x.db?password=1']) {
      expect(splitUrlPassword(url)).toEqual({ url, password: null });
    }
  });
});

describe('withUrlPassword', () => {
  it('puts the password into the user info, percent-encoded', () => {
    expect(withUrlPassword('postgres://deploy@db:5432/shop', 'p@ss:w/rd')).toBe(
      'postgres://deploy:p%40ss%3Aw%2Frd@db:5432/shop',
    );
    expect(withUrlPassword('mysql://root@127.0.0.1:3306/db?ssl=true', 'x y')).toBe(
      'mysql://root:x%20y@127.0.0.1:3306/db?ssl=true',
    );
  });

  it('replaces a password already there and keeps an encoded user name', () => {
    expect(withUrlPassword('postgres://us%40er:old@h/db', 'new')).toBe('postgres://us%40er:new@h/db');
  });

  it('adds user info to a URL without any (the driver picks its default user)', () => {
    expect(withUrlPassword('postgres://h/db', 'pw')).toBe('postgres://:pw@h/db');
  });

  it('leaves SQLite URLs alone', () => {
    for (const url of ['sqlite:./dev.db', 'sqlite:///var/data/app.db', 'sqlite://./dev.db']) {
      expect(withUrlPassword(url, 'pw')).toBe(url);
    }
  });

  it('round-trips with splitUrlPassword for any password', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('postgres://deploy@db:5432/shop', 'mysql://root@127.0.0.1:3306/x?ssl=true'),
        fc.string({
          minLength: 1,
          maxLength: 40,
          // URL delimiters, escapes and any character (including astral ones).
          unit: fc.oneof(
            fc.constantFrom('@', ':', '/', '%', '%4', '?', '#', '&', '=', '+', ' ', '${X}'),
            fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
          ),
        }),
        (url, password) => {
          const joined = withUrlPassword(url, password);
          expect(splitUrlPassword(joined)).toEqual({ url, password });
          expect(redactUrl(joined)).toBe(url.replace(/^(\w+:\/\/\w+)@/, '$1:***@'));
        },
      ),
    );
  });
});

describe('redactUrl', () => {
  it('hides the whole password, even one with a raw @', () => {
    expect(redactUrl('postgres://deploy:p@ss@db/shop')).toBe('postgres://deploy:***@db/shop');
  });
});

describe('databaseNameOfUrl', () => {
  it.each([
    ['postgres://deploy@db.internal:5432/shop', 'shop'],
    ['postgres://h/shop?sslmode=require', 'shop'],
    ['postgresql://u:pw@h/my%20db#x', 'my db'],
    ['mysql://root@127.0.0.1:3306/stratum_t_1', 'stratum_t_1'],
    ['sqlite:./demo.db', 'demo.db'],
    ['sqlite:/var/data/app.db', 'app.db'],
    ['sqlite:///var/data/app.db?mode=ro', 'app.db'],
    ['sqlite:C:\\data\\app.db', 'app.db'],
  ])('names the database of %s', (url, name) => {
    expect(databaseNameOfUrl(url)).toBe(name);
  });

  it.each(['postgres://u@h', 'postgres://u@h/', 'mysql://root@127.0.0.1:3306/?ssl=1', 'sqlite::memory:'])(
    'is null for %s, which names no database',
    (url) => {
      expect(databaseNameOfUrl(url)).toBeNull();
    },
  );
});
