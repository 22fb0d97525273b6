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
      const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
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

function failure(code: string, message: string, details: Record<string, unknown>): EngineResult<never> {
  return { ok: false, error: { code, message, details } };
}
