/**
 * Project-relative paths of revision files, shared by the file-system and in-memory sources so
 * both list, sort and refuse exactly the same things.
 */
import { EngineError } from '../engine/engine-error.ts';

/**
 * Normalises a project-relative path (backslashes become `/`; `.` and empty segments are dropped) and refuses
 * anything that could leave the project: absolute paths, drive letters and `..`.
 *
 * @param what - the argument's name, for the message (`path`, `folder`).
 * @returns the normalised path; `.` for the project root itself (only accepted for `folder`).
 * @throws EngineError `USAGE`.
 */
export function checkSourcePath(value: string, what: 'path' | 'folder'): string {
  const refuse = (reason: string): never => {
    throw new EngineError('USAGE', `The ${what} "${value}" ${reason}.`, { argument: what });
  };
  // Accept Windows separators so a path typed on any platform means the same file.
  const slashed = value.replaceAll('\\', '/');
  if (slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed)) refuse('must be relative to the project root');
  const parts = slashed.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) refuse('must stay inside the project (no "..")');
  if (parts.length === 0) {
    if (what === 'path') refuse('names no file');
    return '.';
  }
  return parts.join('/');
}

/** Joins a normalised folder and a file name (`.` is the project root). */
export function joinSourcePath(folder: string, name: string): string {
  return folder === '.' ? name : `${folder}/${name}`;
}

/** The folder part of a normalised path (`.` for a file at the root). */
export function sourceFolderOf(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash < 0 ? '.' : file.slice(0, slash);
}

/** Whether a file name is a revision file: `*.sql`, not hidden (editor swap files). */
export function isRevisionFileName(name: string): boolean {
  return name.endsWith('.sql') && !name.startsWith('.');
}

/** Orders paths by UTF-16 code units: locale-independent, so every machine lists alike. */
export function compareSourcePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
