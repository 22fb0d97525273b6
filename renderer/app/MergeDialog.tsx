/** Creates the merge revision that joins every head of the project. */
import { useState, type FormEvent } from 'react';
import { Dialog } from '../ui/Dialog.tsx';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { useEngine } from './engine-context.tsx';

export function MergeDialog({
  heads,
  onClose,
}: {
  heads: readonly string[];
  onClose: (revision: string | null) => void;
}) {
  const client = useEngine();
  const [message, setMessage] = useState(`merge ${heads.map((h) => h.slice(0, 8)).join(' and ')}`);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    try {
      const written = await client.call('revisions.merge', { message });
      onClose(written.revision);
    } catch (mergeError) {
      setError(mergeError);
    }
  };
  return (
    <Dialog title="Merge heads" onClose={() => onClose(null)}>
      <form onSubmit={(e) => void submit(e)}>
        <p>
          A new revision with the parents {heads.join(', ')}. It has no SQL of its own until you add some.
        </p>
        <label>
          Message
          <input value={message} onChange={(e) => setMessage(e.target.value)} required />
        </label>
        <ErrorMessage error={error} />
        <div className="button-row">
          <button type="button" onClick={() => onClose(null)}>
            Cancel
          </button>
          <button type="submit" className="primary">
            Create merge revision
          </button>
        </div>
      </form>
    </Dialog>
  );
}
