/**
 * A revision file in the editor, from the graph-problems banner: a file whose header does not parse
 * has no node to select, so this is where it is fixed.
 */
import { lazy, Suspense, useState } from 'react';
import { Dialog } from '../ui/Dialog.tsx';

const RevisionEditor = lazy(async () => ({
  default: (await import('../features/migration-editor/editor.ts')).RevisionEditor,
}));

export function FileEditorDialog(props: {
  file: string;
  dialect: string;
  revisions: readonly { readonly revision: string; readonly message: string }[];
  onSaved: () => void;
  onClose: () => void;
}) {
  const [unsaved, setUnsaved] = useState(false);
  const [asking, setAsking] = useState(false);
  const close = (): void => (unsaved ? setAsking(true) : props.onClose());
  return (
    <Dialog
      title={`Fix ${props.file}`}
      wide
      onClose={close}
      actions={
        asking ? (
          <>
            <span>Discard unsaved changes?</span>
            <button type="button" className="primary" onClick={() => setAsking(false)}>
              Keep editing
            </button>
            <button type="button" className="danger" onClick={props.onClose}>
              Discard changes
            </button>
          </>
        ) : (
          <button type="button" onClick={close}>
            Close
          </button>
        )
      }
    >
      <Suspense fallback={<p aria-busy="true">Loading the editor…</p>}>
        <RevisionEditor
          file={props.file}
          dialect={props.dialect}
          appliedOn={null}
          onSaved={props.onSaved}
          onDirtyChange={setUnsaved}
          revisions={props.revisions}
        />
      </Suspense>
    </Dialog>
  );
}
