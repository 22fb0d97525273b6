/**
 * The selected revision in full: header fields, actions on the selected connection, the up and
 * down SQL, the file in the migration editor, what changed since it was applied, and its journal
 * rows on that connection.
 */
import { lazy, Suspense, useState } from 'react';
import type { ConnectionInfo } from '../../../shared/contract/connection-schemas.ts';
import type { DatabaseState, RunKind } from '../../../shared/contract/plan-schemas.ts';
import { useEngine } from '../../app/engine-context.tsx';
import { Badge } from '../../ui/Badge.tsx';
import { EnvTag } from '../../ui/EnvTag.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { SqlView } from '../../ui/SqlView.tsx';
import { JournalTable } from './JournalTable.tsx';
import { useEngineQuery } from './use-engine-query.ts';

// Monaco is ~4 MB: loaded when a revision is first shown, never before the graph paints.
const RevisionEditor = lazy(async () => ({
  default: (await import('../migration-editor/editor.ts')).RevisionEditor,
}));
const TextDiffDialog = lazy(async () => ({
  default: (await import('../migration-editor/editor.ts')).TextDiffDialog,
}));

export interface DetailsPanelProps {
  readonly revision: string | null;
  readonly dialect: string;
  readonly connection: ConnectionInfo | null;
  readonly state: DatabaseState | null;
  /** Bumped after every run, so the journal reloads. */
  readonly version: number;
  /** Names of the connections that have applied the selected revision. */
  readonly appliedOn: readonly string[];
  readonly onAction: (kind: RunKind, target: string) => void;
  readonly onResolve: (revision: string) => void;
  /** A new revision after `parent`. */
  readonly onNewRevision: (parent: string) => void;
  /** The editor saved the file. */
  readonly onSaved: () => void;
  readonly onDirtyChange: (dirty: boolean) => void;
  /** A revision the app just created: its editor opens with the cursor in the up section. */
  readonly created: string | null;
  /** The project's revisions, for the editor's suggestions. */
  readonly revisions: readonly { readonly revision: string; readonly message: string }[];
}

export function DetailsPanel(props: DetailsPanelProps) {
  const client = useEngine();
  const { revision, connection, state } = props;
  const [showChange, setShowChange] = useState(false);
  const detail = useEngineQuery(revision === null ? null : `${revision}|${props.version}`, () =>
    client.call('revisions.show', { revision: revision! }),
  );
  const journalKey =
    revision === null || connection === null ? null : `${connection.id}|${revision}|${props.version}`;
  const journal = useEngineQuery(journalKey, () =>
    client.call('journal.list', { connectionId: connection!.id, revision: revision!, limit: 50 }),
  );
  if (revision === null) {
    return (
      <aside className="details" aria-label="Revision details">
        <p className="muted">Select a revision to see its SQL and history.</p>
      </aside>
    );
  }
  const node = detail.data?.node;
  const applied = state?.applied.includes(revision) ?? false;
  const dirty = state?.dirty.some((d) => d.revision === revision) ?? false;
  const modified = state?.modified.find((m) => m.revision === revision) ?? null;
  return (
    <aside className="details" aria-label="Revision details">
      <ErrorMessage error={detail.error} />
      {node !== undefined && detail.data !== null && (
        <>
          <header>
            <h2>{node.message}</h2>
            <code className="rev-full-id">{node.revision}</code>
          </header>
          <dl className="fields">
            <dt>Parents</dt>
            <dd>{node.downRevisions.length === 0 ? 'base' : node.downRevisions.join(', ')}</dd>
            {node.dependsOn.length > 0 && (
              <>
                <dt>Depends on</dt>
                <dd>{node.dependsOn.join(', ')}</dd>
              </>
            )}
            <dt>Branch</dt>
            <dd>{node.memberOf.length === 0 ? '—' : node.memberOf.join(', ')}</dd>
            <dt>Created</dt>
            <dd>{node.created ?? '—'}</dd>
            <dt>Transaction</dt>
            <dd>{node.transaction}</dd>
            <dt>Phase</dt>
            <dd>{node.phase}</dd>
            <dt>File</dt>
            <dd>
              <code>{node.file}</code>
            </dd>
          </dl>
          {connection !== null && (
            <section className="actions" aria-label="Actions">
              <p>
                On <strong>{connection.name}</strong> <EnvTag tag={connection.tag} />:{' '}
                {state === null ? 'state unknown' : applied ? 'applied' : 'not applied'}
                {dirty && (
                  <>
                    {' '}
                    <Badge kind="dirty">dirty</Badge>
                  </>
                )}
              </p>
              <div className="button-row">
                <button
                  type="button"
                  disabled={state === null || applied}
                  onClick={() => props.onAction('upgrade', revision)}
                >
                  Upgrade to here
                </button>
                <button
                  type="button"
                  disabled={state === null || !applied}
                  onClick={() => props.onAction('downgrade', revision)}
                >
                  Downgrade to here
                </button>
                <button
                  type="button"
                  disabled={state === null}
                  onClick={() => props.onAction('stamp', revision)}
                >
                  Stamp
                </button>
                {dirty && (
                  <button type="button" onClick={() => props.onResolve(revision)}>
                    Resolve…
                  </button>
                )}
              </div>
            </section>
          )}
          {modified !== null && connection !== null && (
            <section className="banner banner-warning" aria-label="Modified after apply">
              <Badge kind="modified">modified</Badge> The file changed after {connection.name} applied it: the
              database ran other SQL than the file now holds.{' '}
              <button type="button" onClick={() => setShowChange(true)}>
                Show the change…
              </button>
            </section>
          )}
          <div className="button-row">
            <button type="button" onClick={() => props.onNewRevision(revision)}>
              New revision after this…
            </button>
          </div>
          <h3>Up</h3>
          <SqlView sql={detail.data.up.sql} firstLine={detail.data.up.line} label="Up SQL" />
          <h3>Down</h3>
          {detail.data.down === null ? (
            <p className="muted">
              <Badge kind="irreversible">irreversible</Badge> No down section: this revision cannot be
              downgraded.
            </p>
          ) : (
            <SqlView sql={detail.data.down.sql} firstLine={detail.data.down.line} label="Down SQL" />
          )}
          <h3>File</h3>
          <Suspense fallback={<p aria-busy="true">Loading the editor…</p>}>
            <RevisionEditor
              file={node.file}
              dialect={props.dialect}
              appliedOn={props.appliedOn.length === 0 ? null : props.appliedOn.join(', ')}
              onSaved={props.onSaved}
              onDirtyChange={props.onDirtyChange}
              onNewRevisionInstead={() => props.onNewRevision(revision)}
              revisions={props.revisions}
              focusUp={props.created === revision}
            />
          </Suspense>
          {showChange && modified !== null && connection !== null && (
            <Suspense fallback={<p aria-busy="true">Loading the editor…</p>}>
              <TextDiffDialog
                title={`Applied on ${connection.name} ← → the file now`}
                sides={`Left: the up and down SQL ${connection.name} recorded when it applied ${node.file}. Right: the same sections in the file now.`}
                original={modified.appliedText}
                modified={modified.currentText}
                dialect={props.dialect}
                label={`What ${connection.name} applied against the file now`}
                onClose={() => setShowChange(false)}
              />
            </Suspense>
          )}
          {connection !== null && (
            <>
              <h3>Journal on {connection.name}</h3>
              <ErrorMessage error={journal.error} />
              {journal.data !== null && <JournalTable entries={journal.data.entries} />}
            </>
          )}
        </>
      )}
    </aside>
  );
}
