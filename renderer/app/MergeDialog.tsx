/** Creates a merge revision that joins the heads chosen (all of them by default). */
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
  const [chosen, setChosen] = useState<readonly string[]>(heads);
  const [message, setMessage] = useState(`merge ${heads.map((h) => h.slice(0, 8)).join(' and ')}`);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    try {
      const all = chosen.length === heads.length;
      const written = await client.call(
        'revisions.merge',
        all ? { message } : { message, revisions: [...chosen] },
      );
      onClose(written.revision);
    } catch (mergeError) {
      setError(mergeError);
    }
  };
  const toggle = (head: string, on: boolean): void =>
    setChosen((list) =>
      on ? heads.filter((h) => h === head || list.includes(h)) : list.filter((h) => h !== head),
    );
  return (
    <Dialog title="Merge heads" onClose={() => onClose(null)}>
      <form onSubmit={(e) => void submit(e)}>
        <p>A new revision whose parents are the heads chosen. It has no SQL of its own until you add some.</p>
        <fieldset className="merge-heads">
          <legend>Heads to join</legend>
          {heads.map((head) => (
            <label key={head} className="checkbox">
              <input
                type="checkbox"
                checked={chosen.includes(head)}
                onChange={(e) => toggle(head, e.target.checked)}
              />
              <code>{head}</code>
            </label>
          ))}
        </fieldset>
        <label>
          Message
          <input value={message} onChange={(e) => setMessage(e.target.value)} required />
        </label>
        <ErrorMessage error={error} />
        <div className="button-row">
          <button type="button" onClick={() => onClose(null)}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={chosen.length < 2}>
            Create merge revision
          </button>
        </div>
      </form>
    </Dialog>
  );
}
