/** The projects the app opened last, newest first, kept in the data folder. */
import path from 'node:path';
import { readJsonFile, writeJsonFile } from './json-file.ts';

const MAX_RECENT = 10;

/** Recent project folders, newest first. */
export class RecentProjects {
  readonly #file: string;

  constructor(dataDir: string) {
    this.#file = path.join(dataDir, 'recent-projects.json');
  }

  /** The list, newest first. */
  list(): string[] {
    const value = readJsonFile<unknown>(this.#file, []);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  }

  /** Moves `root` to the front of the list. */
  add(root: string): void {
    const list = [root, ...this.list().filter((r) => r !== root)].slice(0, MAX_RECENT);
    writeJsonFile(this.#file, list);
  }
}
