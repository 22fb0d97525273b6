/**
 * The part of a Web `AbortSignal` the engine reads: runs check it between statements. Structural,
 * so the engine needs no DOM or Node types (a real `AbortSignal` satisfies it).
 */
export interface CancelSignal {
  readonly aborted: boolean;
}
