/**
 * Export SQL for a DBA: from a connection's current state or any range, up or down, for any
 * dialect, with or without the version/journal bookkeeping, as one file or one per revision. The
 * script is shown before it is saved; it is what `stratum sql` writes.
 */
import { useState, type FormEvent } from 'react';
import type { ConnectionInfo } from '../../../shared/contract/connection-schemas.ts';
import type { EngineOutput } from '../../../shared/contract/engine-contract.ts';
import { DIALECTS, type Dialect } from '../../../shared/model/dialect.ts';
import { useEngine } from '../../app/engine-context.tsx';
import { ChoiceField } from '../../ui/ChoiceField.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { SqlView } from '../../ui/SqlView.tsx';
import { downloadFile } from './download-file.ts';

type Export = EngineOutput<'sql.export'>;

export function ExportDialog(props: {
  dialect: Dialect;
  connection: ConnectionInfo | null;
  /** The selected revision, the default target. */
  target: string | null;
  onClose: () => void;
}) {
  const client = useEngine();
  const [direction, setDirection] = useState<'upgrade' | 'downgrade'>('upgrade');
  const [fromConnection, setFromConnection] = useState(props.connection !== null);
  const [range, setRange] = useState(props.target ?? 'heads');
  const [dialect, setDialect] = useState<Dialect>(props.dialect);
  const [bookkeeping, setBookkeeping] = useState(true);
  const [split, setSplit] = useState<'single' | 'perRevision'>('single');
  const [result, setResult] = useState<Export | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const exported = await client.call('sql.export', {
        direction,
        range,
        dialect,
        bookkeeping,
        split,
        ...(fromConnection && props.connection !== null ? { connectionId: props.connection.id } : {}),
      });
      setResult(exported);
      // One file saves at once; several are offered one by one below (browsers block a burst).
      if (exported.files.length === 1) downloadFile(exported.files[0]!.name, exported.files[0]!.script);
    } catch (exportError) {
      setError(exportError);
    } finally {
      setBusy(false);
    }
  };
  const rangeLabel = fromConnection ? 'Target revision' : 'Range (FROM:TO)';
  return (
    <Dialog title="Export SQL" onClose={props.onClose} wide closeButton>
      <form className="export-form" onSubmit={(e) => void submit(e)}>
        <fieldset>
          <legend>Start from</legend>
          <label className="checkbox">
            <input
              type="radio"
              name="from"
              checked={fromConnection}
              disabled={props.connection === null}
              onChange={() => setFromConnection(true)}
            />
            {props.connection === null
              ? 'a connection’s current state (no connection)'
              : `${props.connection.name}’s current state`}
          </label>
          <label className="checkbox">
            <input
              type="radio"
              name="from"
              checked={!fromConnection}
              onChange={() => setFromConnection(false)}
            />
            a range of revisions
          </label>
        </fieldset>
        <label>
          {rangeLabel}
          <input
            value={range}
            onChange={(e) => setRange(e.target.value)}
            placeholder={fromConnection ? 'heads' : 'base:heads'}
            spellCheck={false}
            required
          />
        </label>
        <ChoiceField
          label="Direction"
          value={direction}
          choices={['upgrade', 'downgrade'] as const}
          onChange={setDirection}
        />
        <ChoiceField label="Dialect" value={dialect} choices={DIALECTS} onChange={setDialect} />
        <label className="checkbox">
          <input type="checkbox" checked={bookkeeping} onChange={(e) => setBookkeeping(e.target.checked)} />
          Include the version table and journal bookkeeping
        </label>
        <ChoiceField
          label="Files"
          value={split}
          choices={['single', 'perRevision'] as const}
          onChange={setSplit}
          describe={(v) => (v === 'single' ? 'one file' : 'one file per revision')}
        />
        <div className="button-row">
          <button type="submit" className="primary" disabled={busy}>
            Export
          </button>
        </div>
      </form>
      <ErrorMessage error={error} />
      {result !== null && (
        <section aria-label="Exported files">
          <p role="status">
            {result.steps} step(s) for {result.dialect} in {result.files.length} file(s).
          </p>
          <ul className="export-files">
            {result.files.map((f) => (
              <li key={f.name}>
                <button type="button" onClick={() => downloadFile(f.name, f.script)}>
                  Save {f.name}
                </button>
              </li>
            ))}
          </ul>
          {result.files.length === 1 && (
            <SqlView sql={result.files[0]!.script} firstLine={1} label="Exported script" />
          )}
        </section>
      )}
    </Dialog>
  );
}
