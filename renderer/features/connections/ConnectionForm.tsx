/** Adds or edits a saved connection: name, URL, tag and password, with a Test button. */
import { useId, useState, type FormEvent } from 'react';
import type {
  ConnectionDraft,
  ConnectionInfo,
  ConnectionTest,
} from '../../../shared/contract/connection-schemas.ts';
import { ENVIRONMENT_TAGS, type EnvironmentTag } from '../../../shared/model/dialect.ts';
import { useEngine } from '../../app/engine-context.tsx';
import { ChoiceField } from '../../ui/ChoiceField.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';

const PLACEHOLDERS: Record<string, string> = {
  sqlite: 'sqlite:./dev.db',
  postgres: 'postgres://user@127.0.0.1:5432/app',
  mysql: 'mysql://user@127.0.0.1:3306/app',
};

export function ConnectionForm(props: {
  dialect: string;
  editing: ConnectionInfo | null;
  passwordStorage: 'encrypted' | 'session';
  onSaved: () => void;
  onCancel: () => void;
}) {
  const client = useEngine();
  const { editing } = props;
  const [name, setName] = useState(editing?.name ?? '');
  const [url, setUrl] = useState(editing?.url ?? '');
  const [tag, setTag] = useState<EnvironmentTag>(editing?.tag ?? 'local');
  const [password, setPassword] = useState('');
  const [removePassword, setRemovePassword] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [test, setTest] = useState<ConnectionTest | null>(null);
  const [busy, setBusy] = useState(false);
  const helpId = useId();

  const draft = (): ConnectionDraft => ({
    ...(editing === null ? {} : { id: editing.id }),
    name,
    url,
    tag,
    ...(removePassword ? { password: null } : password === '' ? {} : { password }),
  });
  const guard = async (action: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (actionError) {
      setError(actionError);
    } finally {
      setBusy(false);
    }
  };
  const onTest = (): Promise<void> =>
    guard(async () => {
      setTest(null);
      setTest(await client.call('connections.test', { draft: draft() }));
    });
  const onSubmit = (event: FormEvent): void => {
    event.preventDefault();
    void guard(async () => {
      await client.call('connections.save', draft());
      props.onSaved();
    });
  };
  const hasSaved = editing !== null && editing.passwordStorage !== 'none';
  return (
    <form
      className="connection-form"
      onSubmit={onSubmit}
      aria-label={editing === null ? 'New connection' : `Edit ${editing.name}`}
    >
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} />
      </label>
      <label>
        URL
        <input
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          placeholder={PLACEHOLDERS[props.dialect]}
          required
          spellCheck={false}
        />
      </label>
      <ChoiceField label="Environment" value={tag} choices={ENVIRONMENT_TAGS} onChange={setTag} />
      {props.dialect !== 'sqlite' && (
        <>
          <label>
            Password
            <input
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              placeholder={hasSaved ? 'saved (leave empty to keep)' : ''}
              autoComplete="new-password"
              aria-describedby={helpId}
            />
          </label>
          <p id={helpId} className="muted field-help">
            {props.passwordStorage === 'encrypted'
              ? 'Encrypted with your operating system’s keychain.'
              : 'Kept in memory until Stratum stops; never written to disk. To keep one, use ${VAR} in the URL, ~/.pgpass or a MySQL option file.'}
          </p>
        </>
      )}
      {hasSaved && (
        <label className="checkbox">
          <input
            type="checkbox"
            checked={removePassword}
            onChange={(e) => setRemovePassword(e.target.checked)}
          />
          Forget the saved password
        </label>
      )}
      {test !== null && (
        <p className="outcome outcome-ok" role="status">
          Connected in {test.latencyMs} ms: {test.serverVersion}
          {test.exists ? '' : ' (the database does not exist yet)'}
        </p>
      )}
      <ErrorMessage error={error} />
      <div className="button-row">
        <button type="button" onClick={() => void onTest()} disabled={busy || url === ''}>
          Test connection
        </button>
        <button type="button" onClick={props.onCancel} disabled={busy}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={busy}>
          Save connection
        </button>
      </div>
    </form>
  );
}
