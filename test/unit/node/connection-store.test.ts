/**
 * Saved connections in `<data>/connections.json` (DESIGN.md §7): private file mode, atomic writes,
 * per-project scoping, and passwords kept only as sealed values of the vault that sealed them.
 * Every test works in its own temp data folder.
 */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionStore, type ConnectionInput } from '../../../electron/node/connection-store.ts';
import { SessionPasswordVault, type PasswordVault } from '../../../electron/node/password-vault.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh data folder (not created yet: the store creates it on first write). */
function dataDir(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'stratum-connections-'));
  dirs.push(root);
  return path.join(root, 'data');
}

/**
 * A stand-in for the desktop's keychain vault (Electron `safeStorage` is not available here): it
 * "encrypts" reversibly, which is all the store may assume of a vault.
 */
class FakeKeychainVault implements PasswordVault {
  readonly storage = 'encrypted' as const;
  seal(password: string): Promise<string> {
    return Promise.resolve(`v1:${Buffer.from(password).toString('base64').split('').reverse().join('')}`);
  }
  open(sealed: string): Promise<string | null> {
    if (!sealed.startsWith('v1:')) return Promise.resolve(null);
    return Promise.resolve(Buffer.from(sealed.slice(3).split('').reverse().join(''), 'base64').toString());
  }
}

const SHOP = '/projects/shop';
const BLOG = '/projects/blog';
const STAGING: ConnectionInput = {
  name: 'Staging',
  url: 'postgres://deploy@staging.internal:5432/shop',
  tag: 'staging',
  password: 'hunter2-staging',
};

function fileOf(dir: string): string {
  return path.join(dir, 'connections.json');
}

describe('ConnectionStore', () => {
  it('starts empty when the file does not exist, and creates it private (0600 in a 0700 folder)', async () => {
    const dir = dataDir();
    const store = new ConnectionStore(dir, new SessionPasswordVault());
    expect(store.list(SHOP)).toEqual([]);
    await store.save(SHOP, STAGING);
    expect(statSync(fileOf(dir)).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('writes atomically: a new file renamed over the old one, no temp file left behind', async () => {
    const dir = dataDir();
    const store = new ConnectionStore(dir, new SessionPasswordVault());
    await store.save(SHOP, STAGING);
    chmodSync(fileOf(dir), 0o644);
    const before = statSync(fileOf(dir)).ino;
    await store.save(SHOP, { ...STAGING, name: 'Staging 2' });
    const after = statSync(fileOf(dir));
    expect(after.ino).not.toBe(before);
    // Replaced, so a file someone loosened is private again.
    expect(after.mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['connections.json']);
    expect(JSON.parse(readFileSync(fileOf(dir), 'utf8'))).toMatchObject({ version: 1 });
  });

  it('never writes a password in plain text', async () => {
    const dir = dataDir();
    for (const vault of [new SessionPasswordVault(), new FakeKeychainVault()]) {
      const store = new ConnectionStore(dir, vault);
      await store.save(SHOP, STAGING);
      expect(readFileSync(fileOf(dir), 'utf8')).not.toContain('hunter2');
    }
  });

  it('returns what it stored, with a random id, and opens the sealed password', async () => {
    const store = new ConnectionStore(dataDir(), new SessionPasswordVault());
    const saved = await store.save(SHOP, STAGING);
    expect(saved).toMatchObject({
      project: SHOP,
      name: 'Staging',
      url: STAGING.url,
      tag: 'staging',
      secret: { storage: 'session' },
    });
    expect(saved.id).toMatch(/^c_[0-9a-f]{12}$/);
    expect(saved).not.toHaveProperty('password');
    expect(await store.password(saved)).toBe('hunter2-staging');
    const other = await store.save(SHOP, STAGING);
    expect(other.id).not.toBe(saved.id);
  });

  it('scopes connections to their project folder', async () => {
    const store = new ConnectionStore(dataDir(), new SessionPasswordVault());
    const shop = await store.save(SHOP, STAGING);
    const blog = await store.save(BLOG, { name: 'Blog', url: 'sqlite:./blog.db', tag: 'local' });
    expect(store.list(SHOP).map((c) => c.id)).toEqual([shop.id]);
    expect(store.list(BLOG).map((c) => c.id)).toEqual([blog.id]);
    expect(store.get(BLOG, shop.id)).toBeUndefined();
    // Another project can neither delete nor overwrite it by id.
    expect(store.delete(BLOG, shop.id)).toBe(false);
    const foreign = await store.save(BLOG, { ...STAGING, id: shop.id, name: 'Hijack' });
    expect(foreign.id).not.toBe(shop.id);
    expect(store.get(SHOP, shop.id)?.name).toBe('Staging');
  });

  it('updates in place: absent password keeps the saved one, null or empty removes it', async () => {
    const store = new ConnectionStore(dataDir(), new SessionPasswordVault());
    const first = await store.save(SHOP, STAGING);
    const second = await store.save(SHOP, { name: 'Local', url: 'sqlite:./dev.db', tag: 'local' });
    const renamed = await store.save(SHOP, {
      id: first.id,
      name: 'Staging EU',
      url: STAGING.url,
      tag: 'staging',
    });
    expect(renamed.id).toBe(first.id);
    expect(renamed.secret).toEqual(first.secret);
    expect(await store.password(renamed)).toBe('hunter2-staging');
    expect(store.list(SHOP).map((c) => c.name)).toEqual(['Staging EU', 'Local']);

    const changed = await store.save(SHOP, { ...STAGING, id: first.id, password: 'new-one' });
    expect(await store.password(changed)).toBe('new-one');
    const removed = await store.save(SHOP, { ...STAGING, id: first.id, password: null });
    expect(removed.secret).toBeNull();
    expect(await store.password(store.get(SHOP, first.id)!)).toBeNull();
    await store.save(SHOP, { ...STAGING, id: first.id, password: 'again' });
    const emptied = await store.save(SHOP, { ...STAGING, id: first.id, password: '' });
    expect(emptied.secret).toBeNull();
    expect(store.list(SHOP).map((c) => c.id)).toEqual([first.id, second.id]);
  });

  it('deletes one connection and reports whether it existed', async () => {
    const store = new ConnectionStore(dataDir(), new SessionPasswordVault());
    const a = await store.save(SHOP, STAGING);
    const b = await store.save(SHOP, { ...STAGING, name: 'Other' });
    expect(store.delete(SHOP, a.id)).toBe(true);
    expect(store.delete(SHOP, a.id)).toBe(false);
    expect(store.list(SHOP).map((c) => c.id)).toEqual([b.id]);
  });

  it('reads every call from disk, so two stores over one folder see each other', async () => {
    const dir = dataDir();
    const one = new ConnectionStore(dir, new SessionPasswordVault());
    const two = new ConnectionStore(dir, new SessionPasswordVault());
    const saved = await one.save(SHOP, STAGING);
    expect(two.get(SHOP, saved.id)?.name).toBe('Staging');
  });

  it('loses no connection when two saves overlap', async () => {
    const store = new ConnectionStore(dataDir(), new FakeKeychainVault());
    await Promise.all([
      store.save(SHOP, { ...STAGING, name: 'A' }),
      store.save(SHOP, { ...STAGING, name: 'B' }),
      store.save(BLOG, { ...STAGING, name: 'C' }),
    ]);
    expect(
      store
        .list(SHOP)
        .map((c) => c.name)
        .sort(),
    ).toEqual(['A', 'B']);
    expect(store.list(BLOG).map((c) => c.name)).toEqual(['C']);
  });

  it('reads a secret sealed by another kind of vault as no password, but keeps it', async () => {
    const dir = dataDir();
    const desktop = new ConnectionStore(dir, new FakeKeychainVault());
    const saved = await desktop.save(SHOP, STAGING);
    expect(saved.secret?.storage).toBe('encrypted');

    // `stratum serve` over the same data folder: its session vault cannot open the keychain's value.
    const browser = new ConnectionStore(dir, new SessionPasswordVault());
    expect(browser.storage).toBe('session');
    expect(await browser.password(browser.get(SHOP, saved.id)!)).toBeNull();
    // Editing the connection there without a new password keeps the desktop's secret.
    const edited = await browser.save(SHOP, {
      id: saved.id,
      name: 'Renamed',
      url: STAGING.url,
      tag: 'staging',
    });
    expect(edited.secret).toEqual(saved.secret);

    expect(await desktop.password(desktop.get(SHOP, saved.id)!)).toBe('hunter2-staging');
  });

  it("reads another session's handle as no password (session passwords end with the process)", async () => {
    const dir = dataDir();
    const saved = await new ConnectionStore(dir, new SessionPasswordVault()).save(SHOP, STAGING);
    const later = new ConnectionStore(dir, new SessionPasswordVault());
    expect(await later.password(later.get(SHOP, saved.id)!)).toBeNull();
  });

  it('treats a file without a connection list as empty and refuses a corrupt one with what to do', async () => {
    const dir = dataDir();
    const store = new ConnectionStore(dir, new SessionPasswordVault());
    await store.save(SHOP, STAGING);
    writeFileSync(fileOf(dir), JSON.stringify({ version: 1, connections: 'nope' }));
    expect(store.list(SHOP)).toEqual([]);
    writeFileSync(fileOf(dir), '{ "version": 1, ');
    expect(() => store.list(SHOP)).toThrow(/connections\.json is not valid JSON\. Fix or delete it/);
  });
});
