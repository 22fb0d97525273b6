import type { GraphProblem } from '../../../shared/contract/error-codes.ts';
import type { Revision } from '../revision/revision.ts';

/**
 * Every problem of a set of revisions (DESIGN.md §3): duplicate ids, unknown parents, unknown
 * `depends-on` targets, cycles (over parent and dependency edges), branch labels equal to a
 * revision id, and labels declared on two revisions. Each problem names its revisions and files.
 * Never throws; iterative, so a 10,000-deep chain is fine.
 *
 * @param all - every revision as loaded, duplicates included, in load order.
 * @param byId - the revisions the graph keeps (the first of each id).
 * @param requires - for each kept id, its distinct known parents and dependencies.
 * @param skip - what the caller already ruled out, each search skipped when false (all default
 *   true): `mayHaveCycles` false when a topological sort proved the graph acyclic,
 *   `mayHaveUnknownEdges` false when every parent and dependency is in `byId`, `mayHaveLabels` false
 *   when no revision declares a branch label.
 */
export function findGraphProblems(
  all: readonly Revision[],
  byId: ReadonlyMap<string, Revision>,
  requires: (id: string) => readonly string[],
  skip: {
    readonly mayHaveCycles?: boolean;
    readonly mayHaveUnknownEdges?: boolean;
    readonly mayHaveLabels?: boolean;
  } = {},
): GraphProblem[] {
  const { mayHaveCycles = true, mayHaveUnknownEdges = true, mayHaveLabels = true } = skip;
  const problems: GraphProblem[] = [];
  problems.push(...duplicateRevisions(all, byId));
  if (mayHaveUnknownEdges) problems.push(...unknownEdges(byId));
  if (mayHaveCycles) problems.push(...cycles(byId, requires));
  if (mayHaveLabels) problems.push(...labelProblems(byId));
  return problems;
}

/** Parents and `depends-on` targets that no revision declares. */
function unknownEdges(byId: ReadonlyMap<string, Revision>): GraphProblem[] {
  const problems: GraphProblem[] = [];
  for (const rev of byId.values()) {
    for (const parent of distinct(rev.downRevisions)) {
      if (byId.has(parent)) continue;
      problems.push({
        kind: 'unknownParent',
        message: `Revision ${rev.id} (${rev.file}) names parent ${parent}, which no revision file declares. Fix its 'parents:' header or restore the missing file.`,
        revisions: [rev.id],
        files: [rev.file],
      });
    }
    for (const dep of distinct(rev.dependsOn)) {
      if (byId.has(dep)) continue;
      problems.push({
        kind: 'unknownDependency',
        message: `Revision ${rev.id} (${rev.file}) depends on ${dep}, which no revision file declares. Fix its 'depends-on:' header or restore the missing file.`,
        revisions: [rev.id],
        files: [rev.file],
      });
    }
  }
  return problems;
}

/** The list without repeats, in order; cheap for the usual zero- or one-element lists. */
export function distinct(list: readonly string[]): readonly string[] {
  return list.length < 2 ? list : [...new Set(list)];
}

function duplicateRevisions(all: readonly Revision[], byId: ReadonlyMap<string, Revision>): GraphProblem[] {
  // byId keeps one revision per id, so there is a duplicate exactly when it holds fewer.
  if (all.length === byId.size) return [];
  const files = new Map<string, string[]>();
  for (const rev of all) {
    const list = files.get(rev.id);
    if (list === undefined) files.set(rev.id, [rev.file]);
    else list.push(rev.file);
  }
  const problems: GraphProblem[] = [];
  for (const [id, list] of files) {
    if (list.length < 2) continue;
    problems.push({
      kind: 'duplicateRevision',
      message: `Revision id ${id} is declared by ${list.length} files: ${list.join(', ')}. Give all but one a new id (only ${byId.get(id)?.file} is used meanwhile).`,
      revisions: [id],
      files: list,
    });
  }
  return problems;
}

/** Cycles: strongly connected components (iterative Tarjan) of size > 1, plus self-edges. */
function cycles(
  byId: ReadonlyMap<string, Revision>,
  edges: (id: string) => readonly string[],
): GraphProblem[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const problems: GraphProblem[] = [];
  let counter = 0;

  for (const root of byId.keys()) {
    if (index.has(root)) continue;
    // Each frame: a node and how many of its edges have been explored.
    const frames: { id: string; edges: readonly string[]; next: number }[] = [];
    const open = (id: string): void => {
      index.set(id, counter);
      low.set(id, counter);
      counter++;
      stack.push(id);
      onStack.add(id);
      frames.push({ id, edges: edges(id), next: 0 });
    };
    open(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      if (frame.next < frame.edges.length) {
        const to = frame.edges[frame.next++]!;
        if (!index.has(to)) open(to);
        else if (onStack.has(to)) low.set(frame.id, Math.min(low.get(frame.id)!, index.get(to)!));
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent !== undefined) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) !== index.get(frame.id)) continue;
      const members: string[] = [];
      for (;;) {
        const member = stack.pop()!;
        onStack.delete(member);
        members.push(member);
        if (member === frame.id) break;
      }
      const selfEdge = members.length === 1 && frame.edges.includes(frame.id);
      if (members.length > 1 || selfEdge) problems.push(cycleProblem(members.sort(), byId));
    }
  }
  return problems;
}

function cycleProblem(members: string[], byId: ReadonlyMap<string, Revision>): GraphProblem {
  const files = members.map((id) => byId.get(id)!.file);
  const what =
    members.length === 1
      ? `Revision ${members[0]} (${files[0]}) lists itself as a parent or dependency.`
      : `Revisions ${members.join(', ')} form a cycle through their parents or dependencies (${files.join(', ')}).`;
  return {
    kind: 'cycle',
    message: `${what} Edit their 'parents:' / 'depends-on:' headers so history only points backwards.`,
    revisions: members,
    files,
  };
}

function labelProblems(byId: ReadonlyMap<string, Revision>): GraphProblem[] {
  const problems: GraphProblem[] = [];
  const owners = new Map<string, Revision[]>();
  for (const rev of byId.values()) {
    for (const label of distinct(rev.branchLabels)) {
      const list = owners.get(label);
      if (list === undefined) owners.set(label, [rev]);
      else list.push(rev);
      const clash = byId.get(label);
      if (clash === undefined) continue;
      problems.push({
        kind: 'labelClash',
        message: `Branch label '${label}' on revision ${rev.id} (${rev.file}) is also the id of revision ${clash.id} (${clash.file}). Rename the label.`,
        revisions: [rev.id, clash.id],
        files: [rev.file, clash.file],
      });
    }
  }
  for (const [label, revs] of owners) {
    if (revs.length < 2) continue;
    problems.push({
      kind: 'duplicateLabel',
      message: `Branch label '${label}' is declared by ${revs.length} revisions: ${revs.map((r) => `${r.id} (${r.file})`).join(', ')}. Keep it on one revision; its descendants inherit it.`,
      revisions: revs.map((r) => r.id),
      files: revs.map((r) => r.file),
    });
  }
  return problems;
}
