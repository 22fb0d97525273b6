/**
 * The revision graph: a virtualized list of rows with git-style lanes (reference/stack.md §7), a
 * search box that jumps between matches, and keyboard navigation. Selection is owned by the parent
 * so the details panel follows it.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ConnectionInfo } from '../../../shared/contract/connection-schemas.ts';
import { matchesSearch, type GraphLayout, type StateIndex } from './graph-rows.ts';
import { GraphRowView } from './GraphRowView.tsx';
import { LANE_WIDTH, ROW_HEIGHT } from './LaneCell.tsx';

export interface RevisionGraphProps {
  readonly layout: GraphLayout;
  readonly connections: readonly ConnectionInfo[];
  readonly indexes: readonly (StateIndex | null)[];
  readonly selectedConnection: number;
  readonly selected: string | null;
  readonly onSelect: (revision: string) => void;
}

export function RevisionGraph(props: RevisionGraphProps) {
  const { layout, selected, onSelect } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [query, setQuery] = useState('');
  const matches = useMemo(
    () =>
      query.trim() === '' ? [] : layout.rows.flatMap((r, i) => (matchesSearch(r.node, query) ? [i] : [])),
    [layout, query],
  );
  const matchSet = useMemo(() => new Set(matches), [matches]);
  const virtualizer = useVirtualizer({
    count: layout.rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
  });
  const selectedIndex = selected === null ? -1 : (layout.index.get(selected) ?? -1);

  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  const selectIndex = (i: number): void => {
    const row = layout.rows[Math.max(0, Math.min(layout.rows.length - 1, i))];
    if (row !== undefined) onSelect(row.node.revision);
  };
  const onKeyDown = (event: KeyboardEvent): void => {
    // Read here, not while rendering: a layout read during render would force a reflow per frame.
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 600) / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: selectedIndex + 1,
      ArrowUp: selectedIndex - 1,
      PageDown: selectedIndex + page,
      PageUp: selectedIndex - page,
      Home: 0,
      End: layout.rows.length - 1,
    };
    const to = moves[event.key];
    if (to === undefined) return;
    event.preventDefault();
    selectIndex(to);
  };
  const jump = (direction: 1 | -1): void => {
    if (matches.length === 0) return;
    const next =
      direction === 1
        ? (matches.find((i) => i > selectedIndex) ?? matches[0]!)
        : ([...matches].reverse().find((i) => i < selectedIndex) ?? matches[matches.length - 1]!);
    selectIndex(next);
  };
  const position = matches.indexOf(selectedIndex);

  return (
    <section className="graph" aria-label="Revision graph">
      <div className="graph-toolbar">
        <input
          type="search"
          placeholder="Search id, message or label"
          aria-label="Search revisions"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              jump(e.shiftKey ? -1 : 1);
            }
          }}
        />
        <span className="search-count" aria-live="polite">
          {query.trim() === ''
            ? `${layout.rows.length} revision${layout.rows.length === 1 ? '' : 's'}`
            : `${position >= 0 ? `${position + 1} of ` : ''}${matches.length} match${matches.length === 1 ? '' : 'es'}`}
        </span>
        <span className="graph-conn-header" style={{ marginLeft: 'auto' }}>
          {props.connections.map((c) => (
            <span key={c.id} className={`conn-head env-${c.tag}`} title={c.name}>
              {c.name}
            </span>
          ))}
        </span>
      </div>
      <div
        ref={scrollRef}
        className="graph-scroll"
        role="listbox"
        aria-label="Revisions"
        tabIndex={0}
        aria-activedescendant={selected === null ? undefined : `rev-${selected}`}
        onKeyDown={onKeyDown}
        style={{ ['--gutter' as string]: `${layout.laneCount * LANE_WIDTH}px` }}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = layout.rows[item.index]!;
            return (
              <div
                key={row.node.revision}
                style={{
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  right: 0,
                  transform: `translateY(${item.start}px)`,
                }}
              >
                <GraphRowView
                  row={row}
                  laneCount={layout.laneCount}
                  selected={item.index === selectedIndex}
                  match={matchSet.has(item.index)}
                  connections={props.connections}
                  indexes={props.indexes}
                  selectedConnection={props.selectedConnection}
                  onSelect={onSelect}
                />
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
