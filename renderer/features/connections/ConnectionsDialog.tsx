/**
 * The project's connections: its stratum.json environments (read-only here) and the user's saved
 * ones (add, edit, test, delete). Passwords are never shown: only how they are kept.
 */
import { useState } from 'react';
import type { ConnectionInfo } from '../../../shared/contract/connection-schemas.ts';
import { useEngine } from '../../app/engine-context.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { EnvTag } from '../../ui/EnvTag.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { ConnectionForm } from './ConnectionForm.tsx';

const STORAGE_TEXT = {
  encrypted: 'password encrypted',
  session: 'password for this session',
  none: '',
} as const;

export function ConnectionsDialog(props: {
  dialect: string;
  connections: readonly ConnectionInfo[];
  mode: 'desktop' | 'browser';
  onChanged: () => Promise<void>;
  onClose: () => void;
}) {
  const client = useEngine();
  const [editing, setEditing] = useState<ConnectionInfo | 'new' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tested, setTested] = useState<Record<string, string>>({});
  const remove = async (c: ConnectionInfo): Promise<void> => {
    setError(null);
    try {
      await client.call('connections.delete', { id: c.id });
      await props.onChanged();
    } catch (deleteError) {
      setError(deleteError);
    }
  };
  const test = async (c: ConnectionInfo): Promise<void> => {
    setTested((t) => ({ ...t, [c.id]: 'Testing…' }));
    try {
      const r = await client.call('connections.test', { id: c.id });
      setTested((t) => ({ ...t, [c.id]: `OK, ${r.latencyMs} ms: ${r.serverVersion}` }));
    } catch (testError) {
      setTested((t) => ({ ...t, [c.id]: (testError as Error).message }));
    }
  };
  return (
    <Dialog title="Connections" onClose={props.onClose} wide closeButton>
      {editing === null ? (
        <>
          <ul className="connection-list" aria-label="Connections">
            {props.connections.map((c) => (
              <li key={c.id} aria-label={c.name}>
                <div>
                  <strong>{c.name}</strong> <EnvTag tag={c.tag} />{' '}
                  <span className="muted">
                    {c.source === 'project' ? 'from stratum.json' : STORAGE_TEXT[c.passwordStorage]}
                  </span>
                  <br />
                  <code>{c.url}</code>
                  {tested[c.id] !== undefined && (
                    <p className="test-result" role="status">
                      {tested[c.id]}
                    </p>
                  )}
                </div>
                <div className="button-row">
                  <button type="button" onClick={() => void test(c)} aria-label={`Test ${c.name}`}>
                    Test
                  </button>
                  {c.source === 'saved' && (
                    <>
                      <button type="button" onClick={() => setEditing(c)} aria-label={`Edit ${c.name}`}>
                        Edit
                      </button>
                      <button type="button" onClick={() => void remove(c)} aria-label={`Delete ${c.name}`}>
                        Delete
                      </button>
                    </>
                  )}
                </div>
              </li>
            ))}
          </ul>
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            Add connection
          </button>
        </>
      ) : (
        <ConnectionForm
          dialect={props.dialect}
          editing={editing === 'new' ? null : editing}
          passwordStorage={props.mode === 'desktop' ? 'encrypted' : 'session'}
          onCancel={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void props.onChanged();
          }}
        />
      )}
      <ErrorMessage error={error} />
    </Dialog>
  );
}
