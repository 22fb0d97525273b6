import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findProjectRoot, loadProject } from '../../../electron/node/project-loader.ts';
import { isEngineError } from '../../../electron/engine/engine-error.ts';

let tmp: string;

/** Whether some folder above the temp folder is itself a project (then "not found" cannot happen). */
const tmpIsInsideAProject = ((): boolean => {
  try {
    findProjectRoot(os.tmpdir());
    return true;
  } catch {
    return false;
  }
})();

beforeEach(() => {
  // realpath: on macOS the temp folder is a symlink and the loader resolves paths.
  tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'stratum-loader-')));
});
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
});

function writeProject(dir: string, content: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'stratum.json'), content);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('findProjectRoot', () => {
  it('walks up from a nested folder to the folder holding stratum.json', () => {
    const root = path.join(tmp, 'shop');
    writeProject(root, '{"dialect":"sqlite"}');
    const nested = path.join(root, 'migrations', 'a', 'b');
    mkdirSync(nested, { recursive: true });
    expect(findProjectRoot(nested)).toBe(root);
    expect(findProjectRoot(root)).toBe(root);
  });

  it('stops at the nearest project', () => {
    writeProject(tmp, '{"dialect":"sqlite"}');
    const inner = path.join(tmp, 'inner');
    writeProject(inner, '{"dialect":"mysql"}');
    expect(findProjectRoot(path.join(inner))).toBe(inner);
  });

  it('ignores a folder named stratum.json', () => {
    const dir = path.join(tmp, 'a');
    mkdirSync(path.join(dir, 'stratum.json'), { recursive: true });
    writeProject(tmp, '{"dialect":"sqlite"}');
    expect(findProjectRoot(dir)).toBe(tmp);
  });

  it.skipIf(tmpIsInsideAProject)('throws PROJECT_NOT_FOUND with the start folder and what to do', () => {
    const start = path.join(tmp, 'x', 'y');
    mkdirSync(start, { recursive: true });
    let error: unknown;
    try {
      findProjectRoot(start);
    } catch (caught) {
      error = caught;
    }
    expect(isEngineError(error, 'PROJECT_NOT_FOUND')).toBe(true);
    if (!isEngineError(error, 'PROJECT_NOT_FOUND')) return;
    expect(error.details).toEqual({ searchedFrom: start });
    expect(error.message).toContain('stratum init');
    expect(error.message).toContain('--project DIR');
  });
});

describe('loadProject', () => {
  it('loads from the working directory, resolving the migrations folder', async () => {
    const root = path.join(tmp, 'shop');
    writeProject(root, '{\n  "dialect": "sqlite",\n  "migrations": "db/migrations",\n  "extra": 1\n}\n');
    const project = await loadProject(undefined, { cwd: path.join(root) });
    expect(project.root).toBe(root);
    expect(project.configFile).toBe(path.join(root, 'stratum.json'));
    expect(project.migrationsDir).toBe(path.join(root, 'db', 'migrations'));
    expect(project.config.dialect).toBe('sqlite');
    expect(project.warnings).toEqual([expect.stringMatching(/^extra: unknown setting/)]);
  });

  it('takes an explicit folder relative to cwd and does not walk up from it', async () => {
    writeProject(path.join(tmp, 'shop'), '{"dialect":"postgres"}');
    const project = await loadProject('shop', { cwd: tmp });
    expect(project.root).toBe(path.join(tmp, 'shop'));

    mkdirSync(path.join(tmp, 'shop', 'sub'));
    const error = await rejection(loadProject('shop/sub', { cwd: tmp }));
    expect(isEngineError(error, 'PROJECT_NOT_FOUND')).toBe(true);
    const missing = await rejection(loadProject('nowhere', { cwd: tmp }));
    expect(isEngineError(missing, 'PROJECT_NOT_FOUND') && missing.message).toContain('does not exist');
  });

  it('accepts --project pointing at the stratum.json file itself', async () => {
    writeProject(path.join(tmp, 'shop'), '{"dialect":"postgres"}');
    const project = await loadProject(path.join(tmp, 'shop', 'stratum.json'), { cwd: '/' });
    expect(project.root).toBe(path.join(tmp, 'shop'));
  });

  it('reports invalid JSON as CONFIG_INVALID with line:col', async () => {
    writeProject(tmp, '{\n  "dialect": "sqlite",\n}\n');
    const error = await rejection(loadProject(tmp, { cwd: tmp }));
    expect(isEngineError(error, 'CONFIG_INVALID')).toBe(true);
    if (!isEngineError(error, 'CONFIG_INVALID')) return;
    expect(error.details.file).toBe(path.join(tmp, 'stratum.json'));
    expect(error.details.problems).toHaveLength(1);
    expect(error.details.problems[0]).toMatch(/^3:1: not valid JSON: /);
    expect(error.message).toContain(`${path.join(tmp, 'stratum.json')}:3:1: not valid JSON`);
  });

  it('reports truncated JSON at its end and tolerates a BOM', async () => {
    writeProject(tmp, '{\n  "dialect": ');
    const error = await rejection(loadProject(tmp, { cwd: tmp }));
    expect(isEngineError(error, 'CONFIG_INVALID') && error.details.problems[0]).toMatch(
      /^2:14: not valid JSON/,
    );

    writeProject(tmp, '\uFEFF{"dialect":"mysql"}');
    expect((await loadProject(tmp, { cwd: tmp })).config.dialect).toBe('mysql');
  });

  it('passes validation problems through with the absolute file path', async () => {
    writeProject(tmp, '{"dialect":"db2"}');
    const error = await rejection(loadProject(undefined, { cwd: tmp }));
    expect(isEngineError(error, 'CONFIG_INVALID') && error.details).toEqual({
      file: path.join(tmp, 'stratum.json'),
      problems: ['dialect: must be one of sqlite, postgres, mysql (got "db2")'],
    });
  });
});
