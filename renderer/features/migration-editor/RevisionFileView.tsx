/**
 * The revision file in Monaco, read-only for now (editing comes with the migration editor):
 * dialect-aware highlighting, follows the OS theme. Loaded lazily, so the graph paints without it.
 */
import { useEffect, useRef } from 'react';
import { languageOf, monaco } from './monaco-setup.ts';

export function RevisionFileView({ text, dialect, file }: { text: string; dialect: string; file: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const dark = window.matchMedia('(prefers-color-scheme: dark)').matches;
    const editor = monaco.editor.create(host.current!, {
      value: text,
      language: languageOf(dialect),
      readOnly: true,
      theme: dark ? 'vs-dark' : 'vs',
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      automaticLayout: true,
      fontSize: 12.5,
      ariaLabel: `Revision file ${file}`,
    });
    return () => editor.dispose();
  }, [text, dialect, file]);
  return <div ref={host} className="revision-file-editor" data-testid="revision-file-editor" />;
}
