/** A small labelled badge on a graph row or in the details panel. */
export type BadgeKind =
  | 'head'
  | 'current'
  | 'merge'
  | 'branch'
  | 'pending'
  | 'applied'
  | 'dirty'
  | 'modified'
  | 'missing'
  | 'irreversible'
  | 'post-deploy'
  | 'no-transaction'
  | 'label';

export function Badge({ kind, children, title }: { kind: BadgeKind; children: string; title?: string }) {
  return (
    <span className={`badge badge-${kind}`} title={title}>
      {children}
    </span>
  );
}
