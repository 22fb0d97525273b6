/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { ENGINE_CONTRACT } from '../../../shared/contract/engine-contract.ts';
import type { EngineResult } from '../../../shared/contract/engine-result.ts';
import { EngineClientError, newRunId, unwrap } from '../../../renderer/lib/engine-client/engine-client.ts';
import { takeAccessToken } from '../../../renderer/lib/engine-client/http-client.ts';

/** The parts of Location, Storage and History that takeAccessToken uses, recording what it does. */
function browser(hash: string, stored: Record<string, string> = {}) {
  const items = new Map(Object.entries(stored));
  const replaced: string[] = [];
  const location = { hash, pathname: '/app/', search: '?project=demo' } as Location;
  const storage = {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
  } as Storage;
  const history = {
    replaceState: (_data: unknown, _unused: string, url?: string | URL | null) =>
      void replaced.push(String(url)),
  } as History;
  return { location, storage, history, items, replaced };
}

describe('takeAccessToken', () => {
  it('takes the token from #token=…, keeps it in storage and removes it from the address bar', () => {
    const b = browser('#token=abc123');
    expect(takeAccessToken(b.location, b.storage, b.history)).toBe('abc123');
    expect(Object.fromEntries(b.items)).toEqual({ 'stratum.token': 'abc123' });
    expect(b.replaced).toEqual(['/app/?project=demo']);
  });

  it('finds the token after other fragment parameters, and stops at the next one', () => {
    expect(takeAccessToken(...args(browser('#view=graph&token=t0k3n&x=1')))).toBe('t0k3n');
    expect(takeAccessToken(...args(browser('#token=t0k3n&view=graph')))).toBe('t0k3n');
  });

  it('prefers a token in the fragment over a stored one', () => {
    const b = browser('#token=new', { 'stratum.token': 'old' });
    expect(takeAccessToken(b.location, b.storage, b.history)).toBe('new');
    expect(b.items.get('stratum.token')).toBe('new');
  });

  it('falls back to the stored token without touching the address bar', () => {
    const b = browser('', { 'stratum.token': 'kept' });
    expect(takeAccessToken(b.location, b.storage, b.history)).toBe('kept');
    expect(b.replaced).toEqual([]);
  });

  it.each(['', '#', '#token=', '#mytoken=abc', '#view=graph'])(
    'is null with hash %j and nothing stored',
    (hash) => {
      const b = browser(hash);
      expect(takeAccessToken(b.location, b.storage, b.history)).toBeNull();
      expect(b.items.size).toBe(0);
      expect(b.replaced).toEqual([]);
    },
  );
});

const args = (b: ReturnType<typeof browser>) => [b.location, b.storage, b.history] as const;

describe('unwrap', () => {
  it('returns the value of an ok result', () => {
    expect(unwrap({ ok: true, value: { n: 1 } })).toEqual({ n: 1 });
  });

  it('throws an error result as EngineClientError with its code, message and details', () => {
    const result: EngineResult<number> = {
      ok: false,
      error: { code: 'STATEMENT_FAILED', message: 'syntax error', details: { file: 'm.sql', line: 3 } },
    };
    let caught: unknown;
    try {
      unwrap(result);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EngineClientError);
    expect(caught).toBeInstanceOf(Error);
    expect(caught).toMatchObject({
      name: 'EngineClientError',
      code: 'STATEMENT_FAILED',
      message: 'syntax error',
      details: { file: 'm.sql', line: 3 },
    });
  });
});

describe('newRunId', () => {
  it('is run_ and 24 hex digits, different every time', () => {
    const ids = Array.from({ length: 100 }, newRunId);
    for (const id of ids) expect(id).toMatch(/^run_[0-9a-f]{24}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('is a run id the contract accepts', () => {
    const input = { connectionId: 'local', kind: 'upgrade', target: 'head', runId: newRunId() };
    expect(ENGINE_CONTRACT['migrations.run'].input.safeParse(input).success).toBe(true);
    expect(ENGINE_CONTRACT['run.cancel'].input.safeParse({ runId: input.runId }).success).toBe(true);
    // The contract does check the run id.
    expect(ENGINE_CONTRACT['migrations.run'].input.safeParse({ ...input, runId: 'run 1' }).success).toBe(
      false,
    );
  });
});
