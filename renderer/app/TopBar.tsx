/** The bar above everything: project, connection picker (tag in colour), and app actions. */
import type { ConnectionInfo } from '../../shared/contract/connection-schemas.ts';
import type { EngineOutput } from '../../shared/contract/engine-contract.ts';
import { EnvTag } from '../ui/EnvTag.tsx';
import type { ConnectionState } from './use-workspace.ts';

export function TopBar(props: {
  info: EngineOutput<'app.info'>;
  connections: readonly ConnectionInfo[];
  states: Readonly<Record<string, ConnectionState>>;
  selected: ConnectionInfo | null;
  onSelectConnection: (id: string) => void;
  onOpenProject: (path: string | 'demo') => void;
  onManageConnections: () => void;
  onExport: () => void;
  onNewRevision: () => void;
  onRefresh: () => void;
}) {
  const { info, selected } = props;
  const project = info.project;
  const state = selected === null ? undefined : props.states[selected.id];
  return (
    <header className={`top-bar${selected === null ? '' : ` tag-${selected.tag}`}`}>
      <span className="brand">Stratum</span>
      <label className="project-picker">
        <span className="sr-only">Project</span>
        <select
          aria-label="Project"
          value={project?.root ?? ''}
          onChange={(e) => props.onOpenProject(e.target.value === '__demo' ? 'demo' : e.target.value)}
        >
          {project !== null && (
            <option value={project.root}>{project.isDemo ? 'Demo project' : project.name}</option>
          )}
          {info.recentProjects
            .filter((p) => p !== project?.root)
            .map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          {project?.isDemo !== true && <option value="__demo">Demo project</option>}
        </select>
      </label>
      {project !== null && (
        <span className="muted project-meta">
          {project.dialect} · {project.revisionCount} revision{project.revisionCount === 1 ? '' : 's'} ·{' '}
          {project.heads.length} head
          {project.heads.length === 1 ? '' : 's'}
        </span>
      )}
      <label className="connection-picker">
        Connection
        <select
          aria-label="Connection"
          value={selected?.id ?? ''}
          onChange={(e) => props.onSelectConnection(e.target.value)}
        >
          {props.connections.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} ({c.tag})
            </option>
          ))}
        </select>
      </label>
      {selected !== null && <EnvTag tag={selected.tag} />}
      {state?.error != null && (
        <span className="conn-error" role="alert" title={(state.error as Error).message}>
          {selected?.name} unreachable: {(state.error as Error).message}
        </span>
      )}
      <span className="spacer" />
      <button type="button" onClick={props.onNewRevision}>
        New revision…
      </button>
      <button type="button" onClick={props.onExport}>
        Export SQL…
      </button>
      <button type="button" onClick={props.onManageConnections}>
        Connections…
      </button>
      <button type="button" onClick={props.onRefresh} aria-label="Refresh">
        ⟳ Refresh
      </button>
    </header>
  );
}
