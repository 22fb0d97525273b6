/**
 * Checks an edited revision file before it is saved: the header (the parser's errors and warnings)
 * and the graph it would make with the project's other files (unknown parents, cycles, duplicate
 * ids, label clashes). Every finding has the message `stratum check` prints and the file line the
 * editor marks.
 */
import type { GraphProblem } from '../../../shared/contract/error-codes.ts';
import type { Diagnostic } from '../../../shared/model/diagnostic.ts';
import { EngineError } from '../engine-error.ts';
import { parseRevisionFile } from '../revision/revision-file-parser.ts';
import type { Revision } from '../revision/revision.ts';
import { RevisionGraph } from './revision-graph.ts';

/** What {@link checkRevisionText} found: errors block a save, warnings do not. */
export interface RevisionTextCheck {
  /** The revision id the text declares, when its header parses. */
  readonly revision: string | null;
  readonly findings: readonly Diagnostic[];
}

/** The header key each graph problem points at. */
const PROBLEM_KEY: Readonly<Record<GraphProblem['kind'], string>> = {
  duplicateRevision: 'revision',
  unknownParent: 'parents',
  unknownDependency: 'depends-on',
  cycle: 'parents',
  labelClash: 'branch-labels',
  duplicateLabel: 'branch-labels',
  invalidFile: 'revision',
};

/**
 * Checks `text` as the new content of `file`, against `others` (the project's revisions, the
 * file's own previous revision among them or not: any revision loaded from `file` is replaced).
 *
 * @example
 * const { findings } = checkRevisionText(text, 'migrations/x.sql', state.revisions);
 * const blocking = findings.filter((f) => f.severity === 'error');
 */
export function checkRevisionText(
  text: string,
  file: string,
  others: readonly Revision[],
): RevisionTextCheck {
  let parsed;
  try {
    parsed = parseRevisionFile(text, file);
  } catch (error) {
    if (!(error instanceof EngineError) || error.code !== 'REVISION_FILE_INVALID') throw error;
    const { line } = error.details as { line: number };
    return {
      revision: null,
      findings: [{ code: 'invalid-file', severity: 'error', message: error.message, file, line }],
    };
  }
  const revisions = others.filter((r) => r.file !== file);
  revisions.push(parsed.revision);
  const problems = RevisionGraph.build(revisions).problems.filter((p) => p.files.includes(file));
  const lines = headerLines(text);
  return {
    revision: parsed.revision.id,
    findings: [
      ...problems.map((p): Diagnostic => ({
        code: p.kind,
        severity: 'error',
        message: p.message,
        file,
        line: lines.get(PROBLEM_KEY[p.kind]) ?? lines.get('revision') ?? 1,
      })),
      ...parsed.diagnostics,
    ],
  };
}

/** The line of each `-- key:` header line before the first section marker. */
function headerLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  const all = text.split(/\r?\n/);
  for (let i = 0; i < all.length; i++) {
    const line = all[i]!.trim();
    if (/^--\s*migrate:/i.test(line)) break;
    const match = /^--\s*([A-Za-z][\w-]*)\s*:/.exec(line);
    if (match !== null && !lines.has(match[1]!.toLowerCase())) lines.set(match[1]!.toLowerCase(), i + 1);
  }
  return lines;
}
