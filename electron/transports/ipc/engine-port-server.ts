/**
 * The engine worker's end of the MessagePort that goes straight to the renderer's preload
 * (STYLE.md §A: Beekeeper's `MessageChannelMain`, VS Code's `IChannel`). A request
 * `{id, method, input}` is answered `{id, result}` with the shared dispatcher's envelope; the events
 * a call emits are pushed as `{event}` before its answer. No logic here: validation, errors and
 * handlers all live in the dispatcher.
 */
import type { EngineEvent } from '../../../shared/contract/engine-events.ts';
import { z } from 'zod';
import type {
  EnginePortEvent,
  EnginePortReply,
  EnginePortRequest,
} from '../../../shared/contract/desktop-channels.ts';
import type { EngineResult } from '../../../shared/contract/engine-result.ts';
import type { EngineDispatcher } from '../rpc/engine-dispatcher.ts';
import type { MessagePortLike } from './message-port-like.ts';

const requestId = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const requestSchema = z.strictObject({
  id: requestId,
  method: z.string().min(1).max(200),
  input: z.unknown(),
});

/** How to serve a port. */
export interface EnginePortServerOptions {
  /** Where malformed messages and dispatcher bugs are reported (the worker's stderr). */
  readonly log?: (message: string) => void;
}

/** A port being served. */
export interface EnginePortServer {
  /** Pushes an event that belongs to no call (`project.changed`) to the page. */
  push(event: EngineEvent): void;
  /** Stops answering and closes the port (calls still running finish unanswered). */
  close(): void;
}

/**
 * Answers contract calls arriving on `port` with `dispatcher`, until the port closes. One port per
 * renderer page: a reloaded page asks main for a new one.
 */
export function serveEnginePort(
  port: MessagePortLike,
  dispatcher: Pick<EngineDispatcher, 'dispatch'>,
  options: EnginePortServerOptions = {},
): EnginePortServer {
  const log = options.log ?? (() => {});
  let open = true;
  const post = (message: EnginePortReply | EnginePortEvent): void => {
    if (open) port.postMessage(message);
  };

  port.on('message', (event) => {
    const request = parseRequest(event.data, log);
    if (request === null) return;
    if ('refusal' in request) {
      post({ id: request.id, result: request.refusal });
      return;
    }
    void dispatcher
      .dispatch(request.method, request.input, { emit: (engineEvent) => post({ event: engineEvent }) })
      .then((result) => post({ id: request.id, result }));
  });
  port.on('close', () => {
    open = false;
  });
  port.start();
  return {
    push(event) {
      post({ event });
    },
    close() {
      if (!open) return;
      open = false;
      port.close();
    },
  };
}

type Parsed = EnginePortRequest | { readonly id: number; readonly refusal: EngineResult<never> } | null;

/** The request in `data`; a refusal when it has an id but no valid shape; null when unanswerable. */
function parseRequest(data: unknown, log: (message: string) => void): Parsed {
  const parsed = requestSchema.safeParse(data);
  if (parsed.success) return { id: parsed.data.id, method: parsed.data.method, input: parsed.data.input };
  const id = requestId.safeParse((data as { id?: unknown } | null)?.id);
  if (!id.success) {
    // Without an id there is nobody to answer: the preload never sends this, so say so in the log.
    log(`Engine port: dropped a message that is not a request (${describe(data)}).`);
    return null;
  }
  const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  return {
    id: id.data,
    refusal: {
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: 'A request on the engine port is {id, method, input} with a method name.',
        details: { method: '', issues },
      },
    },
  };
}

function describe(data: unknown): string {
  if (data === null || typeof data !== 'object') return typeof data;
  return `keys: ${Object.keys(data).slice(0, 5).join(', ') || 'none'}`;
}
