/**
 * Monaco, bundled locally (reference/stack.md §2): the editor core with the SQL, PostgreSQL and
 * MySQL grammars only, and its one generic worker. No CDN, no other language services.
 */
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/languages/definitions/sql/register';
import 'monaco-editor/languages/definitions/pgsql/register';
import 'monaco-editor/languages/definitions/mysql/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker };
  }
}

self.MonacoEnvironment = { getWorker: () => new EditorWorker() };

/** The Monaco language of a project dialect. */
export function languageOf(dialect: string): string {
  return dialect === 'postgres' ? 'pgsql' : dialect === 'mysql' ? 'mysql' : 'sql';
}

export { monaco };
