/**
 * The desktop app's wiring (STYLE.md §A, §E): the few IPC channels between Electron's main process
 * and the preload, and the messages on the MessagePort that links the preload straight to the
 * engine worker. The preload copies the channel names (a sandboxed preload cannot `require` this
 * file); the {@link DesktopChannel} type keeps the copies honest.
 */
import type { EngineEvent } from './engine-events.ts';
import type { EngineResult } from './engine-result.ts';

/** The IPC channels between main and the preload, by purpose. */
export const DESKTOP_CHANNELS = {
  /** Preload → main (invoke): "give this page a port to the engine worker". */
  engineConnect: 'engine.connect',
  /** Main → preload: the MessagePort to the engine worker, in the event's `ports`. */
  enginePort: 'engine.port',
  /** Main → preload: the folder picked with File > Open Project…. */
  projectChosen: 'project.chosen',
} as const;

/** One of {@link DESKTOP_CHANNELS}. */
export type DesktopChannel = (typeof DESKTOP_CHANNELS)[keyof typeof DESKTOP_CHANNELS];

/** A contract call sent over the engine port; `id` pairs it with its {@link EnginePortReply}. */
export interface EnginePortRequest {
  readonly id: number;
  readonly method: string;
  readonly input: unknown;
}

/** The answer to the {@link EnginePortRequest} with the same `id`. */
export interface EnginePortReply {
  readonly id: number;
  readonly result: EngineResult<unknown>;
}

/** An engine event pushed over the engine port (run progress). */
export interface EnginePortEvent {
  readonly event: EngineEvent;
}

/** Anything the engine worker sends over the engine port. */
export type EnginePortMessage = EnginePortReply | EnginePortEvent;
