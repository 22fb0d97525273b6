/** One row of the revision graph: lanes, id, message, labels, badges and a dot per connection. */
import { memo } from 'react';
import type { ConnectionInfo } from '../../../shared/contract/connection-schemas.ts';
import { Badge } from '../../ui/Badge.tsx';
import { rowStatus, type GraphRow, type StateIndex } from './graph-rows.ts';
import { LaneCell } from './LaneCell.tsx';

export interface GraphRowViewProps {
  readonly row: GraphRow;
  readonly laneCount: number;
  readonly selected: boolean;
  readonly match: boolean;
  readonly connections: readonly ConnectionInfo[];
  readonly indexes: readonly (StateIndex | null)[];
  /** Index into `connections` of the selected connection, or -1. */
  readonly selectedConnection: number;
  readonly onSelect: (revision: string) => void;
}

export const GraphRowView = memo(function GraphRowView(props: GraphRowViewProps) {
  const { row, selected, match, connections, indexes, selectedConnection } = props;
  const { node } = row;
  const status = rowStatus(indexes[selectedConnection] ?? null, node.revision);
  return (
    <div
      id={`rev-${node.revision}`}
      role="option"
      aria-selected={selected}
      className={`graph-row${selected ? ' selected' : ''}${match ? ' match' : ''}${status?.pending ? ' pending' : ''}`}
      onClick={() => props.onSelect(node.revision)}
    >
      <LaneCell
        row={row.lanes}
        parents={node.downRevisions}
        laneCount={props.laneCount}
        merge={node.isMergePoint}
        head={node.isHead}
      />
      <code className="rev-id">{node.revision.slice(0, 8)}</code>
      <span className="rev-message">{node.message}</span>
      <span className="rev-badges">
        {node.branchLabels.map((l) => (
          <Badge key={l} kind="label">
            {l}
          </Badge>
        ))}
        {node.isHead && <Badge kind="head">head</Badge>}
        {status?.current === true && <Badge kind="current">current</Badge>}
        {node.isMergePoint && <Badge kind="merge">merge</Badge>}
        {node.isBranchPoint && <Badge kind="branch">branch point</Badge>}
        {status?.pending === true && <Badge kind="pending">pending</Badge>}
        {status?.dirty === true && <Badge kind="dirty">dirty</Badge>}
        {status?.modified === true && (
          <Badge kind="modified" title="The file changed after it was applied">
            modified
          </Badge>
        )}
        {!node.reversible && <Badge kind="irreversible">irreversible</Badge>}
        {node.phase === 'post-deploy' && <Badge kind="post-deploy">post-deploy</Badge>}
        {node.transaction === 'none' && <Badge kind="no-transaction">no transaction</Badge>}
      </span>
      <span className="rev-created">{node.created?.slice(0, 10) ?? ''}</span>
      <span className="rev-connections">
        {connections.map((c, i) => {
          const s = rowStatus(indexes[i] ?? null, node.revision);
          const label = s === null ? 'unknown' : s.applied ? 'applied' : 'not applied';
          return (
            <span
              key={c.id}
              className={`conn-dot env-${c.tag} ${s === null ? 'unknown' : s.applied ? 'applied' : 'not-applied'}`}
              title={`${c.name}: ${label}`}
              aria-label={`${c.name}: ${label}`}
              role="img"
            />
          );
        })}
      </span>
    </div>
  );
});
