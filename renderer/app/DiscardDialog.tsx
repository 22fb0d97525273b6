/** Asks before unsaved editor text is dropped (another revision, project or dialog). */
import { Dialog } from '../ui/Dialog.tsx';

export function DiscardDialog({ onKeep, onDiscard }: { onKeep: () => void; onDiscard: () => void }) {
  return (
    <Dialog
      title="Discard unsaved changes?"
      onClose={onKeep}
      actions={
        <>
          <button type="button" className="primary" onClick={onKeep}>
            Keep editing
          </button>
          <button type="button" className="danger" onClick={onDiscard}>
            Discard changes
          </button>
        </>
      }
    >
      <p>
        The migration editor has changes that are not saved. Keep editing to save them (Ctrl+S), or discard
        them.
      </p>
    </Dialog>
  );
}
