/**
 * "New revision": an empty revision file after the chosen parent (the selected revision, else the
 * current head), written in the project's format by the same code as `stratum revision`.
 */
import { useState, type FormEvent } from 'react';
import {
  PHASES,
  TRANSACTION_MODES,
  type Phase,
  type TransactionMode,
} from '../../../shared/model/revision-node.ts';
import { useEngine } from '../../app/engine-context.tsx';
import { ChoiceField } from '../../ui/ChoiceField.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';

export interface NewRevisionDialogProps {
  /** The project's heads. */
  readonly heads: readonly string[];
  /** The selected revision, offered (and chosen) first. */
  readonly selected: string | null;
  readonly onClose: (created: { revision: string; file: string } | null) => void;
}

const BASE = 'base';

export function NewRevisionDialog({ heads, selected, onClose }: NewRevisionDialogProps) {
  const client = useEngine();
  const parents = [...new Set([...(selected === null ? [] : [selected]), ...heads])];
  const [message, setMessage] = useState('');
  const [parent, setParent] = useState(parents[0] ?? BASE);
  const [labels, setLabels] = useState('');
  const [transaction, setTransaction] = useState<TransactionMode>('per-migration');
  const [phase, setPhase] = useState<Phase>('pre-deploy');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onClose(
        await client.call('revisions.create', {
          message,
          parent,
          labels: labels.split(/[\s,]+/).filter((l) => l !== ''),
          transaction,
          phase,
        }),
      );
    } catch (createError) {
      setError(createError);
      setBusy(false);
    }
  };
  const describe = (id: string): string =>
    id === selected && heads.includes(id)
      ? `${id} (selected, a head)`
      : id === selected
        ? `${id} (selected: starts a branch)`
        : `${id} (head)`;
  return (
    <Dialog title="New revision" onClose={() => onClose(null)} busy={busy}>
      <form onSubmit={(e) => void submit(e)}>
        <label>
          Message
          <input
            value={message}
            onChange={(e) => setMessage(e.target.value)}
            placeholder="what it does, e.g. add phone to users"
            required
            autoFocus
          />
        </label>
        <label>
          Parent
          <select value={parent} onChange={(e) => setParent(e.target.value)}>
            {parents.map((id) => (
              <option key={id} value={id}>
                {describe(id)}
              </option>
            ))}
            <option value={BASE}>base (a new root, no parent)</option>
          </select>
        </label>
        <label>
          Branch labels
          <input
            value={labels}
            onChange={(e) => setLabels(e.target.value)}
            placeholder="optional, separated by commas"
          />
        </label>
        <ChoiceField
          label="Transaction"
          value={transaction}
          choices={TRANSACTION_MODES}
          onChange={setTransaction}
          describe={(mode) => (mode === 'none' ? 'none (CREATE INDEX CONCURRENTLY and the like)' : mode)}
        />
        <ChoiceField
          label="Phase"
          value={phase}
          choices={PHASES}
          onChange={setPhase}
          describe={(p) => (p === 'post-deploy' ? 'post-deploy (after the release is live)' : p)}
        />
        <ErrorMessage error={error} />
        <div className="button-row">
          <button type="button" onClick={() => onClose(null)} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            Create revision
          </button>
        </div>
      </form>
    </Dialog>
  );
}
