/**
 * Keeps one parsed project in memory for the app, where every screen refresh asks for it several
 * times: at 10,000 revisions a load costs ~250 ms (listing, stat, cache decode, graph). The entry
 * is dropped as soon as a watched file changes (node/project-watcher.ts) and on explicit
 * {@link ProjectStateCache.invalidate} after the app writes a file itself. The CLI does not use it.
 */
import { watchProjectFiles } from '../node/project-watcher.ts';
import type { ProjectState } from './project-state.ts';

interface Entry {
  readonly root: string;
  readonly state: Promise<ProjectState>;
}

/** One project's loaded state, shared by concurrent callers. */
export class ProjectStateCache {
  #entry: Entry | null = null;
  #generation = 0;
  #closeWatch: (() => void) | null = null;
  #watching: string | null = null;
  readonly #listeners = new Set<() => void>();

  /**
   * Calls `listener` when a watched file changes on disk (after the app's own writes too); returns
   * the unsubscribe function.
   */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The state of the project at `root`, loading it with `load` when not cached. */
  get(root: string, load: () => Promise<ProjectState>): Promise<ProjectState> {
    if (this.#entry !== null && this.#entry.root === root) return this.#entry.state;
    const generation = ++this.#generation;
    const state = load();
    const entry: Entry = { root, state };
    this.#entry = entry;
    state.then(
      (loaded) => {
        if (this.#generation !== generation) return;
        if (this.#watching !== root) {
          this.#closeWatch?.();
          this.#watching = root;
          this.#closeWatch = watchProjectFiles(root, loaded.project.config.migrations, () => {
            this.invalidate();
            for (const listener of this.#listeners) listener();
          });
        }
      },
      // A failed load is not kept: the next call tries again (and reports the error again).
      () => {
        if (this.#entry === entry) this.#entry = null;
      },
    );
    return state;
  }

  /** Drops the cached state; the next {@link get} loads again. */
  invalidate(): void {
    this.#generation++;
    this.#entry = null;
  }

  /** Stops watching. */
  close(): void {
    this.invalidate();
    this.#closeWatch?.();
    this.#closeWatch = null;
    this.#watching = null;
  }
}
