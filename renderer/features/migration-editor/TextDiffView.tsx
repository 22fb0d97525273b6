/**
 * Two texts side by side in Monaco's diff editor, read-only: what a database applied against the
 * file now, or the file on disk against the editor's unsaved text.
 */
import { useEffect, useRef } from 'react';
import { EDITOR_OPTIONS, languageOf, monaco, themeOf } from './monaco-setup.ts';

export interface TextDiffViewProps {
  readonly original: string;
  readonly modified: string;
  readonly dialect: string;
  /** For screen readers: what each side holds. */
  readonly label: string;
}

export function TextDiffView({ original, modified, dialect, label }: TextDiffViewProps) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const language = languageOf(dialect);
    const models = {
      original: monaco.editor.createModel(original, language),
      modified: monaco.editor.createModel(modified, language),
    };
    const editor = monaco.editor.createDiffEditor(host.current!, {
      ...EDITOR_OPTIONS,
      theme: themeOf(),
      readOnly: true,
      originalEditable: false,
      renderSideBySide: true,
      useInlineViewWhenSpaceIsLimited: false,
      ariaLabel: label,
    });
    editor.setModel(models);
    return () => {
      editor.dispose();
      models.original.dispose();
      models.modified.dispose();
    };
  }, [original, modified, dialect, label]);
  return <div ref={host} className="text-diff" data-testid="text-diff" />;
}
