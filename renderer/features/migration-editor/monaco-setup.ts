/**
 * Monaco, bundled locally (reference/stack.md §2): the editor core and its editing features
 * (monaco-contribs.ts) with the SQL, PostgreSQL and MySQL grammars only, and its one generic
 * worker. No CDN, no other language services.
 */
import * as monaco from 'monaco-editor/editor/editor.api';
import './monaco-contribs.ts';
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

/** The light or dark theme, as the OS prefers. */
export function themeOf(): string {
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'vs-dark' : 'vs';
}

/** Options every Stratum editor shares. */
export const EDITOR_OPTIONS = {
  minimap: { enabled: false },
  scrollBeyondLastLine: false,
  automaticLayout: true,
  fontSize: 12.5,
} as const;

export { monaco };
