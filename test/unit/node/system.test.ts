import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  TOOL_VERSION,
  nodeHasher,
  randomBytes,
  randomIds,
  readToolVersion,
  runIdentity,
  systemClock,
} from '../../../electron/node/system.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('system services', () => {
  it('hashes UTF-8 with SHA-256', () => {
    expect(nodeHasher.sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(nodeHasher.sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(nodeHasher.sha256Hex('é')).not.toBe(nodeHasher.sha256Hex('e'));
  });

  it('tells the time and makes unique ids and random bytes', () => {
    const before = Date.now();
    const now = systemClock.now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    const ids = new Set(Array.from({ length: 100 }, () => randomIds.newId()));
    expect(ids.size).toBe(100);
    expect([...ids][0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const bytes = randomBytes(6);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(bytes).toHaveLength(6);
  });

  it('describes who runs', () => {
    const identity = runIdentity('9.9.9');
    expect(identity.toolVersion).toBe('9.9.9');
    expect(identity.pid).toBe(process.pid);
    expect(identity.host).toBe(os.hostname());
    expect(typeof identity.osUser === 'string' || identity.osUser === null).toBe(true);
  });

  it('reads TOOL_VERSION from the repository package.json', () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect(TOOL_VERSION).toBe(pkg.version);
  });

  it('finds the stratum package.json from a build folder three levels down, skipping other packages', () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'stratum-version-'));
    try {
      writeFileSync(path.join(tmp, 'package.json'), JSON.stringify({ name: 'stratum', version: '1.2.3' }));
      const deep = path.join(tmp, 'dist', 'electron', 'node');
      mkdirSync(deep, { recursive: true });
      writeFileSync(path.join(tmp, 'dist', 'package.json'), JSON.stringify({ type: 'module' }));
      expect(readToolVersion(deep)).toBe('1.2.3');
      expect(readToolVersion(path.join(tmp, '..'))).toBe('0.0.0-unknown');
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
