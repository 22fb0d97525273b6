/**
 * The one place a contract call is validated and answered, shared by every app transport (the
 * worker's MessagePort, `stratum serve`'s HTTP): input checked against the contract, handler
 * called, output checked, and any failure turned into an error envelope (STYLE.md §D.5, §E.2).
 */
import {
  ENGINE_CONTRACT,
  isEngineMethod,
  type EngineMethod,
  type EngineOutput,
} from '../../../shared/contract/engine-contract.ts';
import type { EngineResult } from '../../../shared/contract/engine-result.ts';
import type { z } from 'zod';
import type { CallContext, EngineHandlers } from '../../commands/app/engine-handlers.ts';
import { toErrorPayload } from '../../commands/error-payload.ts';

/** Answers contract calls with `handlers`. */
export class EngineDispatcher {
  readonly #handlers: EngineHandlers;
  readonly #log: (message: string) => void;

  constructor(handlers: EngineHandlers, log: (message: string) => void = () => {}) {
    this.#handlers = handlers;
    this.#log = log;
  }

  /** Validates `raw` for `method`, runs the handler and returns the envelope. Never throws. */
  async dispatch(method: string, raw: unknown, ctx: CallContext): Promise<EngineResult<unknown>> {
    if (!isEngineMethod(method)) {
      return failure('USAGE', `Unknown method "${method}".`, { argument: method });
    }
    const parsed = ENGINE_CONTRACT[method].input.safeParse(raw ?? {});
    if (!parsed.success) {
      const issues = inputIssues(parsed.error.issues);
      const first = issues[0];
      const where = first === undefined || first.path === '' ? '' : ` (${first.path})`;
      return failure('INVALID_INPUT', `${first?.message ?? 'Invalid input'}${where}`, { method, issues });
    }
    try {
      const value = await this.#call(method, parsed.data, ctx);
      const checked = ENGINE_CONTRACT[method].output.safeParse(value);
      if (!checked.success) {
        // A bug on our side, not the caller's: say so, and keep the details for the log.
        this.#log(`${method} returned an invalid result: ${checked.error.message}`);
        return failure(
          'INTERNAL',
          `Stratum produced an invalid answer for ${method}. Please report this.`,
          {},
        );
      }
      return { ok: true, value: checked.data };
    } catch (error) {
      const payload = toErrorPayload(error);
      if (payload.code === 'INTERNAL')
        this.#log(`${method} failed: ${(error as Error)?.stack ?? String(error)}`);
      return { ok: false, error: payload };
    }
  }

  #call<M extends EngineMethod>(method: M, input: unknown, ctx: CallContext): Promise<EngineOutput<M>> {
    const handler = this.#handlers[method] as (input: unknown, ctx: CallContext) => unknown;
    return Promise.resolve(handler(input, ctx)) as Promise<EngineOutput<M>>;
  }
}

/** One problem of an input, as INVALID_INPUT's details list it. */
export interface InputIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * The problems of an input, with their dotted paths. A union that matched no branch (zod's bare
 * "Invalid input") is replaced by the problems of the branch the caller most likely meant: the one
 * that knows every key of the input, then the one with the fewest problems. Without this,
 * `connections.test` with `{ id: 5 }` said only "Invalid input", with no path.
 */
export function inputIssues(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[] = [],
): InputIssue[] {
  return issues.flatMap((issue) => {
    const at = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      return inputIssues(closestBranch(issue.errors), at);
    }
    return [{ path: at.map(String).join('.'), message: issue.message }];
  });
}

function closestBranch(branches: readonly z.core.$ZodIssue[][]): z.core.$ZodIssue[] {
  const score = (branch: readonly z.core.$ZodIssue[]): number =>
    (branch.some((i) => i.code === 'unrecognized_keys' && i.path.length === 0) ? 1000 : 0) + branch.length;
  return branches.reduce((best, branch) => (score(branch) < score(best) ? branch : best));
}

function failure(code: string, message: string, details: Record<string, unknown>): EngineResult<never> {
  return { ok: false, error: { code, message, details } };
}
