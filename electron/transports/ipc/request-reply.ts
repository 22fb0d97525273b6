/**
 * Requests with answers over a one-way message link (Electron's `parentPort` between the engine
 * worker and main): each request carries an id, its reply carries the same id and an envelope
 * (STYLE.md §D.5). The worker asks main to seal and open passwords with it (`safeStorage` lives in
 * main only).
 */
import { z } from 'zod';
import type { EngineResult } from '../../../shared/contract/engine-result.ts';
import type { ErrorPayload } from '../../../shared/model/run-event.ts';
import { toErrorPayload } from '../../commands/error-payload.ts';

/** A request: `method` and `input`, answered by the {@link ReplyMessage} with the same `id`. */
export interface RequestMessage {
  readonly kind: 'request';
  readonly id: number;
  readonly method: string;
  readonly input: unknown;
}

/** The answer to the {@link RequestMessage} with the same `id`. */
export interface ReplyMessage {
  readonly kind: 'reply';
  readonly id: number;
  readonly result: EngineResult<unknown>;
}

const id = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const requestSchema = z.strictObject({
  kind: z.literal('request'),
  id,
  method: z.string().min(1).max(100),
  input: z.unknown(),
});
const replySchema = z.strictObject({
  kind: z.literal('reply'),
  id,
  result: z.union([
    z.strictObject({ ok: z.literal(true), value: z.unknown() }),
    z.strictObject({
      ok: z.literal(false),
      error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()) }),
    }),
  ]),
});

/** An error the other side answered with: keeps its `code` and `details` for the envelope. */
export class RemoteError extends Error {
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(payload: ErrorPayload) {
    super(payload.message);
    this.name = 'RemoteError';
    this.code = payload.code;
    this.details = payload.details;
  }
}

/** The asking side: sends requests and settles them when their replies arrive. */
export class RequestReplyClient {
  readonly #post: (message: RequestMessage) => void;
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  #nextId = 1;

  constructor(post: (message: RequestMessage) => void) {
    this.#post = post;
  }

  /** Sends `method(input)`; resolves with the answer's value, rejects with a {@link RemoteError}. */
  request(method: string, input: unknown): Promise<unknown> {
    const requestId = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(requestId, { resolve, reject });
      try {
        this.#post({ kind: 'request', id: requestId, method, input });
      } catch (error) {
        this.#pending.delete(requestId);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** Settles the request `data` answers; false when `data` is not a reply (someone else's message). */
  accept(data: unknown): boolean {
    const parsed = replySchema.safeParse(data);
    if (!parsed.success) return false;
    const pending = this.#pending.get(parsed.data.id);
    if (pending === undefined) return true;
    this.#pending.delete(parsed.data.id);
    const { result } = parsed.data;
    if (result.ok) pending.resolve(result.value);
    else pending.reject(new RemoteError(result.error));
    return true;
  }

  /** Rejects every request still waiting (the other side went away). */
  failAll(message: string): void {
    const waiting = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of waiting) p.reject(new RemoteError({ code: 'INTERNAL', message, details: {} }));
  }
}

/** What the answering side runs, by method. Handlers validate their own input. */
export type RequestHandlers = Readonly<Record<string, (input: unknown) => unknown>>;

/**
 * Answers `data` with `handlers` when it is a request, posting the reply; false when it is not a
 * request. Never throws: a failing handler is answered with its error's envelope.
 */
export async function answerRequest(
  data: unknown,
  handlers: RequestHandlers,
  post: (reply: ReplyMessage) => void,
): Promise<boolean> {
  const parsed = requestSchema.safeParse(data);
  if (!parsed.success) return false;
  const { id: requestId, method, input } = parsed.data;
  let result: EngineResult<unknown>;
  if (!Object.hasOwn(handlers, method)) {
    result = {
      ok: false,
      error: { code: 'USAGE', message: `Unknown request "${method}".`, details: { argument: method } },
    };
  } else {
    try {
      result = { ok: true, value: await handlers[method]!(input) };
    } catch (error) {
      result = { ok: false, error: toErrorPayload(error) };
    }
  }
  post({ kind: 'reply', id: requestId, result });
  return true;
}
