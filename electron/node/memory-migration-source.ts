/**
 * The in-memory twin of `FsMigrationSource` for tests (STYLE.md §F.1, Atlas `MemDir`):
 * same paths, same listing rules, same `FILE_EXISTS` refusal, no disk.
 */
import { EngineError } from '../engine/engine-error.ts';
import type { MigrationSource, SourceFile } from '../engine/ports.ts';
import { checkSourcePath, compareSourcePaths, isRevisionFileName, sourceFolderOf } from './source-path.ts';

/**
 * Revision files held in a map of project-relative path → text.
 *
 * @example
 * const source = new MemoryMigrationSource('migrations', {
 *   'migrations/20260101T0000_aaaaaaaaaaaa_init.sql': '-- revision: aaaaaaaaaaaa\n…',
 * });
 * await source.list();
 */
export class MemoryMigrationSource implements MigrationSource {
  /** The migrations folder, `/`-separated, relative to the (imaginary) project root. */
  readonly folder: string;
  readonly #files = new Map<string, string>();

  /**
   * @param folder - the migrations folder (`stratum.json` `migrations`).
   * @param files - initial files, project-relative path → text (any folder; only the migrations
   *   folder is listed, like on disk).
   */
  constructor(folder = 'migrations', files: Readonly<Record<string, string>> = {}) {
    this.folder = checkSourcePath(folder, 'folder');
    for (const [file, text] of Object.entries(files)) this.write(file, text);
  }

  /** Every `.sql` file directly in the migrations folder, sorted by path. */
  async list(): Promise<SourceFile[]> {
    const files: SourceFile[] = [];
    for (const [file, text] of this.#files) {
      const name = file.slice(file.lastIndexOf('/') + 1);
      if (sourceFolderOf(file) === this.folder && isRevisionFileName(name)) files.push({ path: file, text });
    }
    return files.sort((a, b) => compareSourcePaths(a.path, b.path));
  }

  /**
   * Adds a new file; never overwrites.
   *
   * @throws EngineError `FILE_EXISTS` if the path is taken; `USAGE` for a path outside the project.
   */
  async create(file: string, text: string): Promise<void> {
    const relative = checkSourcePath(file, 'path');
    if (this.#files.has(relative)) {
      throw new EngineError(
        'FILE_EXISTS',
        `${relative} already exists; Stratum never overwrites a file. Choose another name or remove it first.`,
        { file: relative },
      );
    }
    this.#files.set(relative, text);
  }

  /** Test helper: the text of a file, or undefined. */
  read(file: string): string | undefined {
    return this.#files.get(checkSourcePath(file, 'path'));
  }

  /** Test helper: adds or replaces a file, e.g. to simulate a user editing an applied revision. */
  write(file: string, text: string): void {
    this.#files.set(checkSourcePath(file, 'path'), text);
  }

  /** Test helper: removes a file; returns whether it existed. */
  remove(file: string): boolean {
    return this.#files.delete(checkSourcePath(file, 'path'));
  }

  /** Test helper: a copy of every file, listed or not, keyed by path. */
  snapshot(): Record<string, string> {
    return Object.fromEntries([...this.#files].sort(([a], [b]) => compareSourcePaths(a, b)));
  }
}
