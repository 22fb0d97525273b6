/**
 * A revision file in Monaco, editable: header and up/down sections with the dialect's highlighting.
 * Every change is checked (header and graph, the CLI's messages) and shown as editor markers and a
 * list; Save (Ctrl/Cmd+S) writes only a clean file unless told "Save anyway". A change on disk by
 * someone else is noticed (polling, and at save) and never silently overwritten. A revision a
 * database has applied opens read-only and asks before it becomes editable.
 */
import { useEffect, useRef, useState } from 'react';
import type { Diagnostic } from '../../../shared/model/diagnostic.ts';
import { useEngine } from '../../app/engine-context.tsx';
import { EngineClientError } from '../../lib/engine-client/engine-client.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { headerCompletions, type KnownRevision } from './header-completions.ts';
import { EDITOR_OPTIONS, languageOf, monaco, themeOf } from './monaco-setup.ts';
import { TextDiffDialog } from './TextDiffDialog.tsx';

export interface RevisionEditorProps {
  /** Project-relative path of the revision file. */
  readonly file: string;
  readonly dialect: string;
  /** The connection that has applied this revision (its name), or null: editing asks first. */
  readonly appliedOn: string | null;
  /** After a save, so the graph and details reload. */
  readonly onSaved: () => void;
  /** Whether the editor holds text that is not on disk. */
  readonly onDirtyChange: (dirty: boolean) => void;
  /** Offered when editing an applied revision: write a new one instead. */
  readonly onNewRevisionInstead?: () => void;
  /** The project's revisions, suggested after `parents:` and `depends-on:`. */
  readonly revisions: readonly KnownRevision[];
  /** A new revision: put the cursor in its empty up section, ready to type. */
  readonly focusUp?: boolean;
}

const COMPLETION_KIND = {
  key: monaco.languages.CompletionItemKind.Property,
  value: monaco.languages.CompletionItemKind.EnumMember,
  revision: monaco.languages.CompletionItemKind.Reference,
  section: monaco.languages.CompletionItemKind.Keyword,
} as const;

/** Suggestions for `editor`'s revision file (header-completions.ts), registered per editor. */
function registerCompletions(
  editor: monaco.editor.IStandaloneCodeEditor,
  language: string,
  revisions: () => readonly KnownRevision[],
): monaco.IDisposable {
  return monaco.languages.registerCompletionItemProvider(language, {
    triggerCharacters: [' ', '-', ':'],
    provideCompletionItems: (model, position) => {
      if (model !== editor.getModel()) return { suggestions: [] };
      const above = model.getValueInRange({
        startLineNumber: 1,
        startColumn: 1,
        endLineNumber: position.lineNumber,
        endColumn: 1,
      });
      const inHeader = !/^\s*--\s*migrate:/im.test(above);
      const before = model.getLineContent(position.lineNumber).slice(0, position.column - 1);
      const self = /^\s*--\s*revision\s*:\s*(\S+)/im.exec(model.getValue())?.[1] ?? null;
      return {
        suggestions: headerCompletions(before, inHeader, revisions(), self).map((c, i) => ({
          label: c.label,
          insertText: c.insertText,
          detail: c.detail,
          kind: COMPLETION_KIND[c.kind],
          sortText: String(i).padStart(4, '0'),
          // After a key, go straight on to its values (parents: the revisions).
          ...(c.kind === 'key' ? { command: { id: 'editor.action.triggerSuggest', title: 'Suggest' } } : {}),
          range: {
            startLineNumber: position.lineNumber,
            startColumn: c.replaceFrom + 1,
            endLineNumber: position.lineNumber,
            endColumn: position.column,
          },
        })),
      };
    },
  });
}

/** How often the file on disk is compared with what the editor read. */
const DISK_POLL_MS = 2_000;
/** Typing pauses this long before the text is checked. */
const CHECK_DELAY_MS = 300;

interface Base {
  readonly text: string;
  readonly hash: string;
}

type Status =
  | { kind: 'idle' }
  | { kind: 'saving' }
  | { kind: 'saved' }
  | { kind: 'reloaded' }
  | { kind: 'blocked'; errors: number };

export function RevisionEditor(props: RevisionEditorProps) {
  const client = useEngine();
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const base = useRef<Base | null>(null);
  /** Bumped whenever `base` changes, so a disk poll that started before is ignored. */
  const generation = useRef(0);
  /** A save in flight: a second Ctrl+S meanwhile would send the same base hash and conflict. */
  const saving = useRef(false);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [dirty, setDirty] = useState(false);
  const [findings, setFindings] = useState<readonly Diagnostic[]>([]);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const [conflict, setConflict] = useState<Base | null>(null);
  const [comparing, setComparing] = useState(false);
  const [unlocked, setUnlocked] = useState(false);
  const [askUnlock, setAskUnlock] = useState(false);
  const readOnly = props.appliedOn !== null && !unlocked;
  // The latest callbacks, for Monaco listeners registered once per file.
  const latest = useRef({ props, save: (_force: boolean) => Promise.resolve(), readOnly });

  const text = (): string => editorRef.current?.getModel()?.getValue() ?? '';
  const markDirty = (value: boolean): void => {
    setDirty(value);
    latest.current.props.onDirtyChange(value);
  };
  const showFindings = (list: readonly Diagnostic[]): void => {
    setFindings(list);
    const model = editorRef.current?.getModel();
    if (model == null) return;
    monaco.editor.setModelMarkers(
      model,
      'stratum',
      list.map((f) => {
        const line = Math.min(Math.max(f.line ?? 1, 1), model.getLineCount());
        return {
          severity: f.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
          message: f.message,
          source: 'stratum',
          startLineNumber: line,
          startColumn: 1,
          endLineNumber: line,
          endColumn: model.getLineMaxColumn(line),
        };
      }),
    );
  };
  const check = async (): Promise<void> => {
    const value = text();
    try {
      const { findings: found } = await client.call('files.check', { file: props.file, text: value });
      if (text() === value) showFindings(found);
    } catch (error) {
      setActionError(error);
    }
  };
  const adopt = (next: Base, replaceText: boolean): void => {
    base.current = next;
    generation.current++;
    if (replaceText) editorRef.current?.getModel()?.setValue(next.text);
    markDirty(text() !== next.text);
  };
  const save = async (force: boolean): Promise<void> => {
    if (base.current === null || saving.current) return;
    saving.current = true;
    setStatus({ kind: 'saving' });
    setActionError(null);
    const value = text();
    try {
      const outcome = await client.call('files.save', {
        file: props.file,
        text: value,
        baseHash: base.current.hash,
        force,
      });
      showFindings(outcome.findings);
      if (!outcome.saved) {
        setStatus({ kind: 'blocked', errors: outcome.findings.filter((f) => f.severity === 'error').length });
        return;
      }
      adopt({ text: value, hash: outcome.hash }, false);
      setStatus({ kind: 'saved' });
      props.onSaved();
    } catch (error) {
      setStatus({ kind: 'idle' });
      if (error instanceof EngineClientError && error.code === 'FILE_CHANGED') {
        const disk = await client.call('files.read', { file: props.file });
        setConflict({ text: disk.text, hash: disk.hash });
        return;
      }
      setActionError(error);
    } finally {
      saving.current = false;
    }
  };
  latest.current = { props, save, readOnly };

  // One Monaco editor per file: created when the file is read, disposed when another is shown.
  useEffect(() => {
    let live = true;
    let checkTimer: ReturnType<typeof setTimeout> | undefined;
    const disposables: { dispose(): void }[] = [];
    setLoadError(null);
    setConflict(null);
    setStatus({ kind: 'idle' });
    setUnlocked(false);
    markDirty(false);
    client.call('files.read', { file: props.file }).then(
      (read) => {
        if (!live) return;
        base.current = { text: read.text, hash: read.hash };
        generation.current++;
        const editor = monaco.editor.create(host.current!, {
          ...EDITOR_OPTIONS,
          value: read.text,
          language: languageOf(props.dialect),
          theme: themeOf(),
          readOnly: latest.current.readOnly,
          ariaLabel: `Revision file ${props.file}`,
        });
        editorRef.current = editor;
        disposables.push(
          editor,
          registerCompletions(editor, languageOf(props.dialect), () => latest.current.props.revisions),
          editor.onDidChangeModelContent(() => {
            markDirty(text() !== base.current?.text);
            setStatus((s) => (s.kind === 'saving' ? s : { kind: 'idle' }));
            clearTimeout(checkTimer);
            checkTimer = setTimeout(() => void check(), CHECK_DELAY_MS);
          }),
          editor.onDidAttemptReadOnlyEdit(() => setAskUnlock(true)),
        );
        if (latest.current.props.focusUp === true) {
          const lines = read.text.split('\n');
          const marker = lines.findIndex((l) => /^\s*--\s*migrate:up\s*$/i.test(l));
          if (marker >= 0) {
            editor.setPosition({ lineNumber: marker + 2, column: 1 });
            editor.revealLineInCenter(marker + 2);
            editor.focus();
          }
        }
        editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => {
          if (!latest.current.readOnly) void latest.current.save(false);
        });
        void check();
      },
      (error: unknown) => live && setLoadError(error),
    );
    return () => {
      live = false;
      clearTimeout(checkTimer);
      for (const d of disposables) d.dispose();
      editorRef.current = null;
      base.current = null;
    };
    // One editor per file; dialect changes only with the project, which changes the file too.
  }, [props.file]);

  useEffect(() => editorRef.current?.updateOptions({ readOnly }), [readOnly]);

  // Someone else's change: compared every few seconds and when the window comes back into focus.
  useEffect(() => {
    const look = async (): Promise<void> => {
      const started = generation.current;
      if (base.current === null || saving.current) return;
      let disk;
      try {
        disk = await client.call('files.read', { file: props.file });
      } catch (error) {
        setActionError(error);
        return;
      }
      // A save that began meanwhile may already be on disk: its own answer moves the base.
      if (saving.current || started !== generation.current || base.current === null) return;
      if (disk.hash === base.current.hash) return;
      if (text() === base.current.text) {
        adopt({ text: disk.text, hash: disk.hash }, true);
        setStatus({ kind: 'reloaded' });
      } else {
        setConflict((c) => (c?.hash === disk.hash ? c : { text: disk.text, hash: disk.hash }));
      }
    };
    const timer = setInterval(() => void look(), DISK_POLL_MS);
    const onFocus = (): void => void look();
    window.addEventListener('focus', onFocus);
    return () => {
      clearInterval(timer);
      window.removeEventListener('focus', onFocus);
    };
  }, [props.file]);

  const errors = findings.filter((f) => f.severity === 'error').length;
  const reveal = (line: number | undefined): void => {
    const editor = editorRef.current;
    if (editor === null || line === undefined) return;
    editor.revealLineInCenter(line);
    editor.setPosition({ lineNumber: line, column: 1 });
    editor.focus();
  };
  return (
    <section
      className="revision-editor"
      aria-label="Migration editor"
      onKeyDown={(event) => {
        // Ctrl/Cmd+S with the focus on the toolbar or a banner (Monaco handles its own).
        if (event.defaultPrevented || !(event.ctrlKey || event.metaKey) || event.key.toLowerCase() !== 's')
          return;
        event.preventDefault();
        if (!readOnly && dirty) void save(false);
      }}
    >
      <div className="editor-toolbar">
        <code className="editor-file">{props.file}</code>
        <span className="editor-status" role="status">
          {readOnly
            ? `Read-only: applied on ${props.appliedOn}`
            : status.kind === 'saving'
              ? 'Saving…'
              : status.kind === 'blocked'
                ? `Not saved: ${status.errors} error${status.errors === 1 ? '' : 's'}`
                : dirty
                  ? 'Unsaved changes'
                  : status.kind === 'saved'
                    ? 'Saved'
                    : status.kind === 'reloaded'
                      ? 'Reloaded: the file changed on disk'
                      : ''}
        </span>
        {readOnly ? (
          <button type="button" onClick={() => setAskUnlock(true)}>
            Edit…
          </button>
        ) : (
          <>
            <button
              type="button"
              disabled={!dirty}
              onClick={() => base.current !== null && adopt(base.current, true)}
            >
              Revert
            </button>
            <button
              type="button"
              className="primary"
              disabled={!dirty || status.kind === 'saving'}
              onClick={() => void save(false)}
              title="Ctrl+S / ⌘S"
            >
              Save
            </button>
          </>
        )}
      </div>
      {status.kind === 'blocked' && (
        <div className="banner banner-error" role="alert">
          The file has {status.errors} error{status.errors === 1 ? '' : 's'} (marked in red): fix{' '}
          {status.errors === 1 ? 'it' : 'them'}, or save anyway and fix later; until then the graph lists the
          file under its problems.{' '}
          <button type="button" onClick={() => void save(true)}>
            Save anyway
          </button>
        </div>
      )}
      {conflict !== null && (
        <div className="banner banner-warning" role="alert" aria-label="File changed on disk">
          <strong>{props.file} changed on disk</strong> since you opened it, and you have unsaved changes.{' '}
          <button type="button" onClick={() => setComparing(true)}>
            Compare…
          </button>{' '}
          <button
            type="button"
            onClick={() => {
              adopt(conflict, true);
              setConflict(null);
            }}
          >
            Reload from disk (drop my changes)
          </button>{' '}
          <button
            type="button"
            onClick={() => {
              // Take the disk version as the base: the next save replaces it on purpose.
              adopt({ ...conflict }, false);
              setConflict(null);
            }}
          >
            Keep mine
          </button>
        </div>
      )}
      <ErrorMessage error={loadError ?? actionError} />
      <div ref={host} className="revision-file-editor" data-testid="revision-file-editor" />
      {findings.length > 0 && (
        <ul className="findings" aria-label="Problems in this file">
          {findings.map((f, i) => (
            <li key={i} className={`finding finding-${f.severity}`}>
              <button type="button" className="link" onClick={() => reveal(f.line)}>
                {f.line === undefined ? '' : `line ${f.line}:`}
              </button>{' '}
              {f.message}
            </li>
          ))}
        </ul>
      )}
      {errors === 0 && findings.length === 0 && !readOnly && dirty && (
        <p className="muted editor-hint">No problems found. Ctrl+S saves.</p>
      )}
      {askUnlock && (
        <Dialog
          title="Edit an applied revision?"
          onClose={() => setAskUnlock(false)}
          actions={
            <>
              <button type="button" onClick={() => setAskUnlock(false)}>
                Cancel
              </button>
              {props.onNewRevisionInstead !== undefined && (
                <button
                  type="button"
                  onClick={() => {
                    setAskUnlock(false);
                    props.onNewRevisionInstead?.();
                  }}
                >
                  New revision instead…
                </button>
              )}
              <button
                type="button"
                className="danger"
                onClick={() => {
                  setAskUnlock(false);
                  setUnlocked(true);
                  editorRef.current?.focus();
                }}
              >
                Edit anyway
              </button>
            </>
          }
        >
          <p>
            <strong>{props.appliedOn}</strong> has already applied this revision. Editing the file does not
            change that database: Stratum will report the revision as modified after apply, and{' '}
            <code>stratum check</code> will exit with code 5, until the database is migrated down and up
            again.
          </p>
          <p>To change the schema, write a new revision instead.</p>
        </Dialog>
      )}
      {comparing && conflict !== null && (
        <TextDiffDialog
          title="On disk ← → yours"
          sides="Left: the file on disk now. Right: your unsaved text."
          original={conflict.text}
          modified={text()}
          dialect={props.dialect}
          label="The file on disk against your unsaved text"
          onClose={() => setComparing(false)}
        />
      )}
    </section>
  );
}
