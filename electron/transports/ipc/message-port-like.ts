/**
 * The part of a MessagePort the engine transports use, as a structural type: Electron's
 * `MessagePortMain` (main process and utility process) fits it as is, so this folder is tested with
 * Node's `worker_threads` ports instead of a running Electron.
 */

/** A message as Electron's `MessagePortMain` and `parentPort` deliver it. */
export interface PortMessageEvent {
  readonly data: unknown;
}

/** Electron's `MessagePortMain`, reduced to what the transports call. */
export interface MessagePortLike {
  on(event: 'message', listener: (event: PortMessageEvent) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  postMessage(message: unknown): void;
  /** Starts delivery; messages sent before it are queued. */
  start(): void;
  close(): void;
}

/** Node's `worker_threads` MessagePort: its `message` listeners get the data itself. */
export interface NodeMessagePort {
  on(event: 'message', listener: (value: unknown) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  postMessage(value: unknown): void;
  start(): void;
  close(): void;
}

/**
 * A Node `worker_threads` port seen as a {@link MessagePortLike}: the one difference is that Node
 * hands `message` listeners the value, where Electron hands them `{ data, ports }`.
 */
export function fromNodeMessagePort(port: NodeMessagePort): MessagePortLike {
  const adapted: MessagePortLike = {
    on(event: 'message' | 'close', listener: ((event: PortMessageEvent) => void) | (() => void)) {
      if (event === 'message') {
        const onMessage = listener as (event: PortMessageEvent) => void;
        port.on('message', (value) => onMessage({ data: value }));
      } else {
        port.on('close', listener as () => void);
      }
      return adapted;
    },
    postMessage: (message) => port.postMessage(message),
    start: () => port.start(),
    close: () => port.close(),
  };
  return adapted;
}
