/** Messages above the graph: graph problems, several heads (with the merge action), missing files. */
import type { GraphProblem } from '../../shared/contract/error-codes.ts';

export function ProblemsBanner({
  problems,
  onOpenFile,
}: {
  problems: readonly GraphProblem[];
  /** Opens a file named by a problem in the editor, to fix it there. */
  onOpenFile: (file: string) => void;
}) {
  if (problems.length === 0) return null;
  return (
    <section className="banner banner-error" role="alert" aria-label="Graph problems">
      <strong>
        {problems.length} problem{problems.length === 1 ? '' : 's'} in the migrations folder. The graph shows
        what it can.
      </strong>
      <ul>
        {problems.map((p, i) => (
          <li key={i}>
            {p.message}
            {p.files.map((file) => (
              <button
                key={file}
                type="button"
                className="link"
                onClick={() => onOpenFile(file)}
                title="Open in the editor"
              >
                {file}
                {p.line === undefined ? '' : `:${p.line}`}
              </button>
            ))}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function HeadsBanner({ heads, onMerge }: { heads: readonly string[]; onMerge: () => void }) {
  if (heads.length < 2) return null;
  return (
    <section className="banner banner-warning" aria-label="Several heads">
      This project has {heads.length} heads ({heads.map((h) => h.slice(0, 8)).join(', ')}):{' '}
      <code>upgrade head</code> is ambiguous until they are merged.{' '}
      <button type="button" onClick={onMerge}>
        Create merge revision…
      </button>
    </section>
  );
}

export function MissingBanner({ missing, connection }: { missing: readonly string[]; connection: string }) {
  if (missing.length === 0) return null;
  return (
    <section className="banner banner-warning" role="alert" aria-label="Missing files">
      {connection} has applied {missing.length} revision{missing.length === 1 ? '' : 's'} whose file is
      missing from the migrations folder: {missing.join(', ')}.
    </section>
  );
}
