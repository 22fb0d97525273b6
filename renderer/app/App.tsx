/**
 * The main screen: the revision graph with per-connection applied marks, the details panel of the
 * selected revision, and the dialogs for runs, connections and merging heads.
 */
import { useEffect, useMemo, useState } from 'react';
import type { RunKind } from '../../shared/contract/plan-schemas.ts';
import { ConnectionsDialog } from '../features/connections/index.ts';
import { DetailsPanel } from '../features/revision-details/index.ts';
import { indexState, layoutGraph, RevisionGraph } from '../features/revision-graph/index.ts';
import { ResolveDialog, RunDialog } from '../features/run/index.ts';
import { ExportDialog } from '../features/sql-export/index.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { HeadsBanner, MissingBanner, ProblemsBanner } from './Banners.tsx';
import { useEngine } from './engine-context.tsx';
import { MergeDialog } from './MergeDialog.tsx';
import { TopBar } from './TopBar.tsx';
import { useWorkspace } from './use-workspace.ts';

type Modal =
  | { kind: 'run'; run: RunKind; target: string }
  | { kind: 'resolve'; revision: string }
  | { kind: 'connections' }
  | { kind: 'merge' }
  | { kind: 'export' }
  | null;

export function App() {
  const client = useEngine();
  const workspace = useWorkspace();
  const { info, graph, connections, states } = workspace;
  const [connectionId, setConnectionId] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [modal, setModal] = useState<Modal>(null);
  const [runs, setRuns] = useState(0);
  const [openError, setOpenError] = useState<unknown>(null);

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

  // Desktop: File > Open Project… in the native menu picks the folder; the app opens it here.
  useEffect(() => client.onProjectChosen?.((path) => void openProject(path)));

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
        onOpenProject={(p) => void openProject(p)}
        onManageConnections={() => setModal({ kind: 'connections' })}
        onExport={() => setModal({ kind: 'export' })}
        onRefresh={() => void refresh()}
      />
      <ErrorMessage error={openError} />
      <ProblemsBanner problems={graph.problems} />
      <HeadsBanner heads={heads} onMerge={() => setModal({ kind: 'merge' })} />
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
          onSelect={setSelected}
        />
        <DetailsPanel
          revision={selected}
          dialect={info.project?.dialect ?? 'sqlite'}
          connection={connection}
          state={connectionState}
          version={runs}
          onAction={(run, target) => setModal({ kind: 'run', run, target })}
          onResolve={(revision) => setModal({ kind: 'resolve', revision })}
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
            if (revision !== null) {
              setSelected(revision);
              void refresh();
            }
          }}
        />
      )}
    </div>
  );
}
