/**
 * Notices changes to a project's files — its migrations folder (recursively) and stratum.json — so
 * the app can keep a parsed project in memory and drop it the moment someone edits a file. Only
 * these paths are watched: the database files and `.stratum/` cache in the project folder change
 * on every run and must not count.
 */
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

/** Calls `onChange` whenever a file under `migrations` or `root/stratum.json` changes; returns `close`. */
export function watchProjectFiles(root: string, migrations: string, onChange: () => void): () => void {
  const watchers: FSWatcher[] = [];
  const add = (
    target: string,
    options: { recursive: boolean },
    filter?: (name: string | null) => boolean,
  ): void => {
    try {
      const w = watch(target, options, (_event, name) => {
        if (filter === undefined || filter(name)) onChange();
      });
      // A watched folder deleted or unreadable later: treat as a change, the next load reports it.
      w.on('error', onChange);
      watchers.push(w);
    } catch {
      // Not watchable (missing folder): the loader reports that; without a watcher nothing is cached.
      onChange();
    }
  };
  add(path.resolve(root, migrations), { recursive: true });
  add(root, { recursive: false }, (name) => name === null || name === 'stratum.json');
  return () => {
    for (const w of watchers) w.close();
  };
}
