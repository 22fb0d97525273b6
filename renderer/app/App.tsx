/**
 * The main screen: the revision graph with per-connection applied marks, the details panel of the
 * selected revision with its editor, and the dialogs for runs, connections, new and merge
 * revisions. While the editor holds unsaved text, leaving it asks first.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { RunKind } from '../../shared/contract/plan-schemas.ts';
import { ConnectionsDialog } from '../features/connections/index.ts';
import { NewRevisionDialog } from '../features/migration-editor/index.ts';
import { DetailsPanel } from '../features/revision-details/index.ts';
import { indexState, layoutGraph, RevisionGraph } from '../features/revision-graph/index.ts';
import { ResolveDialog, RunDialog } from '../features/run/index.ts';
import { ExportDialog } from '../features/sql-export/index.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { HeadsBanner, MissingBanner, ProblemsBanner } from './Banners.tsx';
import { useEngine } from './engine-context.tsx';
import { DiscardDialog } from './DiscardDialog.tsx';
import { FileEditorDialog } from './FileEditorDialog.tsx';
import { MergeDialog } from './MergeDialog.tsx';
import { TopBar } from './TopBar.tsx';
import { useWorkspace } from './use-workspace.ts';

type Modal =
  | { kind: 'run'; run: RunKind; target: string }
  | { kind: 'resolve'; revision: string }
  | { kind: 'connections' }
  | { kind: 'merge' }
  | { kind: 'export' }
  | { kind: 'newRevision'; parent: string | null }
  | { kind: 'editFile'; file: string }
  | { kind: 'discard'; then: () => void }
  | null;

/** File events come in bursts (an editor's save writes several); the graph reloads after a pause. */
const PROJECT_CHANGE_DELAY_MS = 250;

export function App() {
  const client = useEngine();
  const workspace = useWorkspace();
  const { info, graph, connections, states } = workspace;
  const [connectionId, setConnectionId] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [modal, setModal] = useState<Modal>(null);
  const [runs, setRuns] = useState(0);
  const [openError, setOpenError] = useState<unknown>(null);
  const [unsaved, setUnsaved] = useState(false);
  const [justCreated, setJustCreated] = useState<string | null>(null);

  const layout = useMemo(() => layoutGraph(graph?.nodes ?? []), [graph]);
  const indexes = useMemo(
    () => connections.map((c) => (states[c.id]?.state == null ? null : indexState(states[c.id]!.state!))),
    [connections, states],
  );
  const connectionIndex = Math.max(
    0,
    connections.findIndex((c) => c.id === connectionId),
  );
  const connection = connections[connectionIndex] ?? null;
  const connectionState = connection === null ? null : (states[connection.id]?.state ?? null);

  const refresh = async (): Promise<void> => {
    await workspace.refresh();
    setRuns((n) => n + 1);
  };
  const openProject = async (path: string | 'demo'): Promise<void> => {
    setOpenError(null);
    try {
      if (path === 'demo') await client.call('project.openDemo', {});
      else await client.call('project.open', { path });
      setSelected(null);
      setConnectionId(null);
      await refresh();
    } catch (error) {
      setOpenError(error);
    }
  };

  /** Runs `action` now, or after the user agrees to drop the editor's unsaved text. */
  const guarded = (action: () => void): void => {
    if (!unsaved) return action();
    setModal({
      kind: 'discard',
      then: () => {
        setUnsaved(false);
        action();
      },
    });
  };
  const select = (revision: string | null): void => {
    if (revision === selected) return;
    guarded(() => {
      setJustCreated(null);
      setSelected(revision);
    });
  };
  const created = (revision: string): void => {
    setUnsaved(false);
    setJustCreated(revision);
    setSelected(revision);
    void refresh();
  };

  // A file changed on disk (the CLI, an editor, `git pull`): reload once the burst of events settles.
  const latestRefresh = useRef(refresh);
  latestRefresh.current = refresh;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = client.onEvent((event) => {
      if (event.kind !== 'project.changed') return;
      clearTimeout(timer);
      timer = setTimeout(() => void latestRefresh.current(), PROJECT_CHANGE_DELAY_MS);
    });
    return () => {
      clearTimeout(timer);
      off();
    };
  }, [client]);

  // Desktop: File > Open Project… in the native menu picks the folder; the app opens it here.
  useEffect(() => client.onProjectChosen?.((path) => guarded(() => void openProject(path))));
  // Closing the window or tab with unsaved text: the browser (or Electron's main process) asks.
  useEffect(() => {
    if (!unsaved) return;
    const onBeforeUnload = (event: BeforeUnloadEvent): void => event.preventDefault();
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [unsaved]);

  if (info === null || graph === null) {
    return (
      <main className="loading">
        {workspace.error === null ? (
          <p aria-busy="true">Loading the project…</p>
        ) : (
          <ErrorMessage error={workspace.error} />
        )}
      </main>
    );
  }
  const heads = graph.nodes.filter((n) => n.isHead).map((n) => n.revision);
  return (
    <div className="app">
      <TopBar
        info={info}
        connections={connections}
        states={states}
        selected={connection}
        onSelectConnection={setConnectionId}
        onOpenProject={(p) => guarded(() => void openProject(p))}
        onNewRevision={() => guarded(() => setModal({ kind: 'newRevision', parent: selected }))}
        onManageConnections={() => setModal({ kind: 'connections' })}
        onExport={() => setModal({ kind: 'export' })}
        onRefresh={() => void refresh()}
      />
      <ErrorMessage error={openError} />
      <ProblemsBanner
        problems={graph.problems}
        onOpenFile={(file) => guarded(() => setModal({ kind: 'editFile', file }))}
      />
      <HeadsBanner heads={heads} onMerge={() => guarded(() => setModal({ kind: 'merge' }))} />
      {connection !== null && (
        <MissingBanner missing={connectionState?.missing ?? []} connection={connection.name} />
      )}
      <div className="workspace">
        <RevisionGraph
          layout={layout}
          connections={connections}
          indexes={indexes}
          selectedConnection={connectionIndex}
          selected={selected}
          onSelect={select}
        />
        <DetailsPanel
          revision={selected}
          dialect={info.project?.dialect ?? 'sqlite'}
          connection={connection}
          state={connectionState}
          version={runs}
          onAction={(run, target) => setModal({ kind: 'run', run, target })}
          onResolve={(revision) => setModal({ kind: 'resolve', revision })}
          appliedOn={connections
            .filter((c) => selected !== null && states[c.id]?.state?.applied.includes(selected) === true)
            .map((c) => c.name)}
          onNewRevision={(parent) => guarded(() => setModal({ kind: 'newRevision', parent }))}
          onSaved={() => void refresh()}
          onDirtyChange={setUnsaved}
          revisions={graph.nodes}
          created={justCreated}
        />
      </div>
      {modal?.kind === 'run' && connection !== null && (
        <RunDialog
          kind={modal.run}
          target={modal.target}
          connection={connection}
          onResolve={(revision) => {
            setModal({ kind: 'resolve', revision });
            void refresh();
          }}
          onClose={(ran) => {
            setModal(null);
            if (ran) void refresh();
          }}
        />
      )}
      {modal?.kind === 'resolve' && connection !== null && (
        <ResolveDialog
          revision={modal.revision}
          connection={connection}
          onClose={(done) => {
            setModal(null);
            if (done) void refresh();
          }}
        />
      )}
      {modal?.kind === 'connections' && (
        <ConnectionsDialog
          dialect={info.project?.dialect ?? 'sqlite'}
          connections={connections}
          mode={info.mode}
          onChanged={workspace.refresh}
          onClose={() => setModal(null)}
        />
      )}
      {modal?.kind === 'export' && info.project !== null && (
        <ExportDialog
          dialect={info.project.dialect}
          connection={connection}
          target={selected}
          onClose={() => setModal(null)}
        />
      )}
      {modal?.kind === 'merge' && (
        <MergeDialog
          heads={heads}
          onClose={(revision) => {
            setModal(null);
            if (revision !== null) created(revision);
          }}
        />
      )}
      {modal?.kind === 'newRevision' && (
        <NewRevisionDialog
          heads={heads}
          selected={modal.parent}
          onClose={(written) => {
            setModal(null);
            if (written !== null) created(written.revision);
          }}
        />
      )}
      {modal?.kind === 'editFile' && (
        <FileEditorDialog
          file={modal.file}
          dialect={info.project?.dialect ?? 'sqlite'}
          revisions={graph.nodes}
          onSaved={() => void refresh()}
          onClose={() => setModal(null)}
        />
      )}
      {modal?.kind === 'discard' && (
        <DiscardDialog
          onKeep={() => setModal(null)}
          onDiscard={() => {
            const { then } = modal;
            setModal(null);
            then();
          }}
        />
      )}
    </div>
  );
}
