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
    const known = (ids: readonly string[]): readonly string[] => {
      // Each edge once, even when a header repeats an id; allocation-free in the usual case.
      const list = distinct(ids);
      return list.every((id) => byId.has(id)) ? list : list.filter((id) => byId.has(id));
    };
    for (const rev of byId.values()) {
      const parents = known(rev.downRevisions);
      const deps = known(rev.dependsOn);
      for (const p of parents) pushTo(children, p, rev.id);
      for (const d of deps) pushTo(dependents, d, rev.id);
      requires.set(rev.id, deps.length === 0 ? parents : distinct([...parents, ...deps]));
    }
    for (const list of children.values()) if (list.length > 1) list.sort();
    for (const list of dependents.values()) if (list.length > 1) list.sort();
    this.#children = children;
    this.#dependents = dependents;
    this.#requires = requires;

    const requiresOf = (id: string): readonly string[] => requires.get(id) ?? EMPTY;
    const sorted = topologicalOrder(byId, requiresOf, (id) => this.#requiredBy(id));
    this.revisions = sorted.revisions;
    this.problems = findGraphProblems(all, byId, requiresOf, sorted.hasCycle);
    this.heads = [...byId.keys()].filter((id) => !children.has(id)).sort();
    this.bases = [...byId.values()]
      .filter((r) => r.downRevisions.length === 0)
      .map((r) => r.id)
      .sort();
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
    return this.#labelMaps().labels.get(id) ?? EMPTY;
  }

  /** Ids of the revisions that declare `label` (one in a valid graph), sorted. */
  revisionsLabeled(label: string): readonly string[] {
    return this.#labelMaps().owners.get(label) ?? EMPTY;
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
      return options.includeDependencies ? [...rev.downRevisions, ...rev.dependsOn] : rev.downRevisions;
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

  /** The serializable view of every revision, in {@link revisions} order, for `dialect`. */
  toNodes(dialect: Dialect): RevisionNode[] {
    const heads = new Set(this.heads);
    return this.revisions.map((rev) => {
      const overrides = new Set<string>([
        ...Object.keys(rev.up.byDialect),
        ...Object.keys(rev.down.byDialect),
      ]);
      return {
        revision: rev.id,
        downRevisions: rev.downRevisions,
        dependsOn: rev.dependsOn,
        branchLabels: rev.branchLabels,
        memberOf: this.branchLabelsOf(rev.id),
        message: rev.message,
        created: rev.created,
        transaction: rev.transaction,
        phase: rev.phase,
        file: rev.file,
        isHead: heads.has(rev.id),
        isBase: rev.downRevisions.length === 0,
        isBranchPoint: this.isBranchPoint(rev.id),
        isMergePoint: this.isMergePoint(rev.id),
        reversible: sectionFor(rev.down, dialect) !== null,
        dialectOverrides: DIALECTS.filter((d) => overrides.has(d)),
      };
    });
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

  #labelMaps(): {
    labels: ReadonlyMap<string, readonly string[]>;
    owners: ReadonlyMap<string, readonly string[]>;
  } {
    if (this.#labels === null || this.#labelOwners === null) {
      const labels = new Map<string, readonly string[]>();
      const owners = new Map<string, string[]>();
      // Topological order puts parents first, so one pass inherits every ancestor's labels.
      for (const rev of this.revisions) {
        const set = new Set(rev.branchLabels);
        for (const label of set) pushTo(owners, label, rev.id); // distinct per revision
        for (const p of rev.downRevisions) for (const l of labels.get(p) ?? EMPTY) set.add(l);
        if (set.size > 0) labels.set(rev.id, [...set].sort());
      }
      for (const list of owners.values()) list.sort();
      this.#labels = labels;
      this.#labelOwners = owners;
    }
    return { labels: this.#labels, owners: this.#labelOwners };
  }
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
