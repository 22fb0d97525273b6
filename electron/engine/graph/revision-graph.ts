import type { GraphProblem } from '../../../shared/contract/error-codes.ts';
import { DIALECTS } from '../../../shared/model/dialect.ts';
import type { Dialect } from '../../../shared/model/dialect.ts';
import type { RevisionNode } from '../../../shared/model/revision-node.ts';
import { EngineError } from '../engine-error.ts';
import { sectionFor } from '../revision/revision.ts';
import type { Revision } from '../revision/revision.ts';
import { distinct, findGraphProblems } from './find-graph-problems.ts';
import { topologicalOrder } from './topological-order.ts';

/** Options of {@link RevisionGraph.ancestors} and {@link RevisionGraph.descendants}. */
export interface WalkOptions {
  /** Also follow `depends-on` edges, not only parent edges. Default false. */
  readonly includeDependencies?: boolean;
}

const EMPTY: readonly string[] = Object.freeze([]);

function pushTo(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/**
 * The revision DAG of a project (DESIGN.md §3, Alembic's `RevisionMap`): heads, bases, branch and
 * merge points, branch labels and `depends-on` edges.
 *
 * Built with {@link RevisionGraph.build}, which never throws: every problem is recorded in
 * {@link RevisionGraph.problems} and the usable part is kept (a duplicate id keeps its first file;
 * revisions in a cycle or with unknown parents are still listed). Call
 * {@link RevisionGraph.assertValid} where a valid graph is required; the planner refuses to plan
 * through revisions named by a problem. Everything is O(n) or better and iterative.
 *
 * @example
 * const graph = RevisionGraph.build(revisions);
 * if (graph.heads.length > 1) console.log('branches:', graph.heads);
 */
export class RevisionGraph {
  /** Every problem found while building, each naming its revisions and files. */
  readonly problems: readonly GraphProblem[];
  /** The revisions, parents (and dependencies) before children; ties by `created`, then id. */
  readonly revisions: readonly Revision[];
  /** Ids of the revisions without children (along parent edges), sorted. */
  readonly heads: readonly string[];
  /** Ids of the revisions without parents, sorted. */
  readonly bases: readonly string[];

  readonly #byId: ReadonlyMap<string, Revision>;
  /** id → children along parent edges, sorted. */
  readonly #children: ReadonlyMap<string, readonly string[]>;
  /** id → revisions that depend on it (`depends-on`), sorted. */
  readonly #dependents: ReadonlyMap<string, readonly string[]>;
  /** id → its distinct known parents and dependencies. */
  readonly #requires: ReadonlyMap<string, readonly string[]>;
  #labels: ReadonlyMap<string, readonly string[]> | null = null;
  #labelOwners: ReadonlyMap<string, readonly string[]> | null = null;

  private constructor(all: readonly Revision[]) {
    const byId = new Map<string, Revision>();
    for (const rev of all) if (!byId.has(rev.id)) byId.set(rev.id, rev);
    this.#byId = byId;

    const children = new Map<string, string[]>();
    const dependents = new Map<string, string[]>();
    const requires = new Map<string, readonly string[]>();
    const bases: string[] = [];
    let unknownEdges = false;
    let labelled = false;
    for (const rev of byId.values()) {
      const parents = knownIds(rev.downRevisions, byId);
      const deps = knownIds(rev.dependsOn, byId);
      for (let i = 0; i < parents.length; i++) pushTo(children, parents[i]!, rev.id);
      for (let i = 0; i < deps.length; i++) pushTo(dependents, deps[i]!, rev.id);
      requires.set(rev.id, deps.length === 0 ? parents : distinct([...parents, ...deps]));
      if (rev.downRevisions.length === 0) bases.push(rev.id);
      if (parents.length + deps.length < rev.downRevisions.length + rev.dependsOn.length) unknownEdges = true;
      if (rev.branchLabels.length > 0) labelled = true;
    }
    for (const list of children.values()) if (list.length > 1) list.sort();
    for (const list of dependents.values()) if (list.length > 1) list.sort();
    this.#children = children;
    this.#dependents = dependents;
    this.#requires = requires;

    const requiresOf = (id: string): readonly string[] => requires.get(id) ?? EMPTY;
    const requiredBy = (id: string): readonly string[] => {
      const list = children.get(id) ?? EMPTY;
      const deps = dependents.get(id);
      return deps === undefined ? list : distinct([...list, ...deps]);
    };
    const sorted = topologicalOrder(byId, requiresOf, requiredBy);
    this.revisions = sorted.revisions;
    this.problems = findGraphProblems(all, byId, requiresOf, {
      mayHaveCycles: sorted.hasCycle,
      mayHaveUnknownEdges: unknownEdges,
      mayHaveLabels: labelled,
    });
    const heads: string[] = [];
    for (const id of byId.keys()) if (!children.has(id)) heads.push(id);
    this.heads = heads.sort();
    this.bases = bases.sort();
  }

  /** Builds the graph of `revisions`, recording (never throwing) every problem. */
  static build(revisions: readonly Revision[]): RevisionGraph {
    return new RevisionGraph(revisions);
  }

  /** The number of distinct revisions. */
  get size(): number {
    return this.#byId.size;
  }

  /** The revision with this exact id, or undefined. */
  get(id: string): Revision | undefined {
    return this.#byId.get(id);
  }

  /** Whether a revision with this exact id exists. */
  has(id: string): boolean {
    return this.#byId.has(id);
  }

  /**
   * The revision with this exact id.
   *
   * @throws EngineError REVISION_NOT_FOUND when there is none.
   */
  require(id: string): Revision {
    const rev = this.#byId.get(id);
    if (rev === undefined) {
      throw new EngineError(
        'REVISION_NOT_FOUND',
        `No revision '${id}' in this project. Run 'stratum history' to list revisions.`,
        { target: id },
      );
    }
    return rev;
  }

  /** Ids of the revisions that list `id` as a parent, sorted. */
  children(id: string): readonly string[] {
    return this.#children.get(id) ?? EMPTY;
  }

  /** Ids of the revisions that list `id` in `depends-on`, sorted. */
  dependents(id: string): readonly string[] {
    return this.#dependents.get(id) ?? EMPTY;
  }

  /** Whether `id` has more than one child. */
  isBranchPoint(id: string): boolean {
    return this.children(id).length > 1;
  }

  /** Whether `id` has more than one parent. */
  isMergePoint(id: string): boolean {
    const rev = this.#byId.get(id);
    return rev !== undefined && distinct(rev.downRevisions).length > 1;
  }

  /**
   * The branch labels of `id`, sorted: those declared on it plus those inherited from its ancestors
   * along parent edges (Alembic: a label names its revision and every revision built on it).
   * Alembic also pushes a label down the unbranched stretch below the labelled revision; Stratum
   * does not, so a label never names revisions older than the one that declares it.
   */
  branchLabelsOf(id: string): readonly string[] {
    return (this.#labels ?? this.#computeLabels()).get(id) ?? EMPTY;
  }

  /** Ids of the revisions that declare `label` (one in a valid graph), sorted. */
  revisionsLabeled(label: string): readonly string[] {
    if (this.#labelOwners === null) this.#computeLabels();
    return this.#labelOwners!.get(label) ?? EMPTY;
  }

  /**
   * The ids reachable from `ids` along parent edges (and `depends-on` edges when asked), `ids`
   * included. Edges to unknown revisions are skipped (they are {@link problems}).
   *
   * @throws EngineError REVISION_NOT_FOUND when a starting id is not in the graph.
   */
  ancestors(ids: Iterable<string>, options: WalkOptions = {}): Set<string> {
    return this.#walk(ids, (id) => {
      const rev = this.#byId.get(id)!;
      return options.includeDependencies && rev.dependsOn.length > 0
        ? [...rev.downRevisions, ...rev.dependsOn]
        : rev.downRevisions;
    });
  }

  /**
   * The ids reachable from `ids` along child edges (and reverse `depends-on` edges when asked),
   * `ids` included.
   *
   * @throws EngineError REVISION_NOT_FOUND when a starting id is not in the graph.
   */
  descendants(ids: Iterable<string>, options: WalkOptions = {}): Set<string> {
    return this.#walk(ids, (id) =>
      options.includeDependencies ? [...this.children(id), ...this.dependents(id)] : this.children(id),
    );
  }

  /**
   * Orders a subset of the graph's revisions deterministically (Kahn: parents and dependencies
   * first, ties by `created` then id), considering only edges inside the subset.
   */
  order(ids: Iterable<string>): Revision[] {
    const members = new Map<string, Revision>();
    for (const id of ids) {
      const rev = this.#byId.get(id);
      if (rev !== undefined) members.set(id, rev);
    }
    return topologicalOrder(
      members,
      (id) => this.#requires.get(id) ?? EMPTY,
      (id) => this.#requiredBy(id),
    ).revisions;
  }

  /** The distinct revisions that list `id` as a parent or dependency. */
  #requiredBy(id: string): readonly string[] {
    const children = this.children(id);
    const dependents = this.#dependents.get(id);
    return dependents === undefined ? children : distinct([...children, ...dependents]);
  }

  /** Whether the revision has a down section for `dialect` (its override, else the plain one). */
  isReversible(id: string, dialect: Dialect): boolean {
    const rev = this.#byId.get(id);
    return rev !== undefined && sectionFor(rev.down, dialect) !== null;
  }

  /**
   * The serializable view of every revision, in {@link revisions} order, for `dialect`; with
   * `include`, only of the revisions it accepts (same order).
   */
  toNodes(dialect: Dialect, include?: (id: string) => boolean): RevisionNode[] {
    const heads = new Set(this.heads);
    const labels = this.#labels ?? this.#computeLabels();
    const children = this.#children;
    const nodes: RevisionNode[] = [];
    for (const rev of this.revisions) {
      if (include !== undefined && !include(rev.id)) continue;
      nodes.push({
        revision: rev.id,
        downRevisions: rev.downRevisions,
        dependsOn: rev.dependsOn,
        branchLabels: rev.branchLabels,
        memberOf: labels.get(rev.id) ?? EMPTY,
        message: rev.message,
        created: rev.created,
        transaction: rev.transaction,
        phase: rev.phase,
        file: rev.file,
        isHead: heads.has(rev.id),
        isBase: rev.downRevisions.length === 0,
        isBranchPoint: (children.get(rev.id)?.length ?? 0) > 1,
        isMergePoint: rev.downRevisions.length > 1 && distinct(rev.downRevisions).length > 1,
        reversible: sectionFor(rev.down, dialect) !== null,
        dialectOverrides: dialectOverrides(rev),
      });
    }
    return nodes;
  }

  /**
   * Throws if the graph has any problem.
   *
   * @throws EngineError GRAPH_INVALID with every problem in `details.problems`.
   */
  assertValid(): void {
    if (this.problems.length === 0) return;
    throw graphInvalid(this.problems);
  }

  #walk(ids: Iterable<string>, next: (id: string) => readonly string[]): Set<string> {
    const seen = new Set<string>();
    const stack: string[] = [];
    for (const id of ids) {
      this.require(id);
      if (!seen.has(id)) {
        seen.add(id);
        stack.push(id);
      }
    }
    while (stack.length > 0) {
      for (const n of next(stack.pop()!)) {
        if (seen.has(n) || !this.#byId.has(n)) continue;
        seen.add(n);
        stack.push(n);
      }
    }
    return seen;
  }

  /**
   * Fills {@link #labels} and {@link #labelOwners}. Topological order puts parents first, so one
   * pass inherits every ancestor's labels. A revision that declares no label shares its parent's
   * (sorted, distinct) list, and a merge builds a new one only when its parents' lists differ, so a
   * long labelled history costs no per-revision set or sort.
   */
  #computeLabels(): ReadonlyMap<string, readonly string[]> {
    const labels = new Map<string, readonly string[]>();
    const owners = new Map<string, string[]>();
    for (const rev of this.revisions) {
      let inherited: readonly string[] | undefined;
      if (rev.branchLabels.length === 0) {
        for (const p of rev.downRevisions) {
          const list = labels.get(p);
          if (list === undefined || list === inherited) continue;
          inherited = inherited === undefined ? list : sortedUnion(inherited, list);
        }
      } else {
        const set = new Set(rev.branchLabels);
        for (const label of set) pushTo(owners, label, rev.id); // distinct per revision
        for (const p of rev.downRevisions) for (const l of labels.get(p) ?? EMPTY) set.add(l);
        inherited = [...set].sort();
      }
      if (inherited !== undefined && inherited.length > 0) labels.set(rev.id, inherited);
    }
    for (const list of owners.values()) list.sort();
    this.#labels = labels;
    this.#labelOwners = owners;
    return labels;
  }
}

/** The distinct ids of `ids` that are in `byId`, in order; `ids` itself in the usual case. */
function knownIds(ids: readonly string[], byId: ReadonlyMap<string, Revision>): readonly string[] {
  // Each edge once, even when a header repeats an id.
  const list = distinct(ids);
  for (const id of list) if (!byId.has(id)) return list.filter((known) => byId.has(known));
  return list;
}

/**
 * The union of two sorted, distinct lists, sorted as `Array.prototype.sort` sorts strings; `a`
 * itself when it already holds all of `b`.
 */
function sortedUnion(a: readonly string[], b: readonly string[]): readonly string[] {
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      out.push(x);
      i++;
      j++;
    } else if (x < y) {
      out.push(x);
      i++;
    } else {
      out.push(y);
      j++;
    }
  }
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out.length === a.length ? a : out;
}

/** The dialects with an up or down override in `rev`, in {@link DIALECTS} order. */
function dialectOverrides(rev: Revision): Dialect[] {
  const up = Object.keys(rev.up.byDialect);
  const down = Object.keys(rev.down.byDialect);
  if (up.length === 0 && down.length === 0) return [];
  const overrides = new Set<string>([...up, ...down]);
  return DIALECTS.filter((d) => overrides.has(d));
}

/**
 * The GRAPH_INVALID error for `problems`, its message listing each one.
 */
export function graphInvalid(problems: readonly GraphProblem[]): EngineError<'GRAPH_INVALID'> {
  const lines = problems.map((p) => `  - ${p.message}`).join('\n');
  return new EngineError(
    'GRAPH_INVALID',
    `The revision graph has ${problems.length} problem(s); fix these revision files first:\n${lines}`,
    { problems },
  );
}
