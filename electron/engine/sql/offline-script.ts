/**
 * `stratum sql`: renders a plan as a script a DBA runs with the dialect's own client
 * (`sqlite3 db < file`, `psql -v ON_ERROR_STOP=1 -f file`, `mariadb db < file`). Each step is its
 * {@link stepScript}, the very items the online executor runs, so the database ends exactly where
 * `stratum upgrade` would have left it (DESIGN.md §6, STYLE.md §F.4).
 */
import type { BookkeepingTables, DialectAdapter, Hasher, IdSource, RunIdentity } from '../ports.ts';
import type { Plan } from '../plan/plan.ts';
import { stepScript, type ScriptItem, type StepScript } from '../run/step-script.ts';

/** The header of an offline script. */
export interface OfflineScriptHeader {
  /** Project name or folder. */
  readonly project: string;
  /** The range as the user wrote it (`base:heads`, or `upgrade base:heads`). */
  readonly range: string;
  /** The tool that wrote the script, e.g. `stratum 0.1.0`. */
  readonly generator: string;
  /** When the script was generated (ISO-8601), injected for deterministic output. */
  readonly date: string;
}

/** What {@link renderOfflineScript} needs. */
export interface OfflineScriptOptions {
  readonly plan: Plan;
  readonly adapter: DialectAdapter;
  readonly tables: BookkeepingTables;
  /** The generating tool's identity; only `toolVersion` is used (see {@link offlineIdentity}). */
  readonly identity: RunIdentity;
  readonly hasher: Hasher;
  /** The run id, then one id per step, in plan order (as the executor takes them). */
  readonly ids: IdSource;
  readonly header: OfflineScriptHeader;
  /**
   * Include the version/journal bookkeeping (default true). Without it the script is the
   * migration SQL only, in its transactions: the DBA records the change some other way (or runs
   * `stratum stamp` afterwards).
   */
  readonly bookkeeping?: boolean;
}

/** One script of {@link renderOfflineFiles}. */
export interface OfflineScriptFile {
  /** A file name: `<nn>_<direction>_<revision>.sql`, or `<direction>.sql` for a single script. */
  readonly name: string;
  readonly script: string;
}

/** Suffix marking journal rows written by an offline script. */
export const OFFLINE_SUFFIX = ' (offline)';

/**
 * The identity journaled by an offline script: the machine that generates a script is not the one
 * that runs it, so OS user, host and pid are null and the tool version says `(offline)`.
 */
export function offlineIdentity(identity: RunIdentity): RunIdentity {
  const version = identity.toolVersion.endsWith(OFFLINE_SUFFIX)
    ? identity.toolVersion
    : `${identity.toolVersion}${OFFLINE_SUFFIX}`;
  return { osUser: null, host: null, pid: null, toolVersion: version };
}

/**
 * Renders the whole script: a header comment, the client directive that stops at the first error
 * (`.bail on` for sqlite3, `\set ON_ERROR_STOP on` for psql; the mariadb client stops by default),
 * `createTables`, then every step's items in order: statements through
 * `adapter.renderScriptStatement` after a `-- <file>:<line>` comment, bookkeeping and transaction
 * statements terminated with `;`.
 *
 * Throws what statement splitting throws (`REVISION_FILE_INVALID`).
 */
export function renderOfflineScript(options: OfflineScriptOptions): string {
  const runId = options.ids.newId();
  const scripts = stepScripts(options, runId);
  return renderScript(options, options.plan, scripts, runId, options.header.range);
}

/**
 * The plan as files: one script (`split: 'single'`, the same text as {@link renderOfflineScript})
 * or one per step, in order (`perRevision`), each with its header, client prelude and (with
 * bookkeeping) the tables, so each file can be run on its own, in file-name order. All files share
 * one run id, like one online run.
 */
export function renderOfflineFiles(
  options: OfflineScriptOptions,
  split: 'single' | 'perRevision',
): OfflineScriptFile[] {
  const runId = options.ids.newId();
  const scripts = stepScripts(options, runId);
  const { plan } = options;
  if (split === 'single') {
    return [
      { name: `${plan.kind}.sql`, script: renderScript(options, plan, scripts, runId, options.header.range) },
    ];
  }
  const width = String(scripts.length).length;
  return scripts.map((script, i) => {
    const step = plan.steps[i]!;
    const part: Plan = { ...plan, fromHeads: step.fromHeads, toHeads: step.toHeads, steps: [step] };
    const range = `${options.header.range} (step ${i + 1} of ${scripts.length})`;
    return {
      name: `${String(i + 1).padStart(width, '0')}_${script.direction}_${script.revision}.sql`,
      script: renderScript(options, part, [script], runId, range),
    };
  });
}

function stepScripts(options: OfflineScriptOptions, runId: string): StepScript[] {
  const identity = offlineIdentity(options.identity);
  return options.plan.steps.map((step) =>
    stepScript(step, {
      adapter: options.adapter,
      tables: options.tables,
      runId,
      stepId: options.ids.newId(),
      identity,
      hasher: options.hasher,
    }),
  );
}

function renderScript(
  options: OfflineScriptOptions,
  plan: Plan,
  scripts: readonly StepScript[],
  runId: string,
  range: string,
): string {
  const { adapter, tables } = options;
  const bookkeeping = options.bookkeeping !== false;
  const out: string[] = [];
  out.push(...headerLines(adapter, plan, { ...options.header, range }, runId, bookkeeping), '');
  if (adapter.script.prelude.length > 0) out.push(...adapter.script.prelude, '');
  if (bookkeeping) {
    out.push("-- Stratum's bookkeeping tables (DESIGN.md §4)");
    for (const sql of adapter.bookkeeping.createTables(tables)) out.push(terminate(sql));
  }
  scripts.forEach((script, index) => {
    out.push('', ...stepComment(script, index, scripts.length));
    for (const item of script.items) {
      if (!bookkeeping && item.kind === 'bookkeeping') continue;
      out.push(...renderItem(item, adapter));
    }
  });
  out.push('', `-- End of script: ${scripts.length} step(s); heads after: ${headsText(plan.toHeads)}`, '');
  return out.join('\n');
}

function headerLines(
  adapter: DialectAdapter,
  plan: Plan,
  header: OfflineScriptHeader,
  runId: string,
  bookkeeping: boolean,
): string[] {
  return [
    '-- Generated by stratum sql',
    `-- Project:   ${header.project}`,
    `-- Range:     ${header.range}`,
    `-- Plan:      ${plan.kind}, heads ${headsText(plan.fromHeads)} -> ${headsText(plan.toHeads)}`,
    `-- Dialect:   ${adapter.dialect}`,
    `-- Generator: ${header.generator}`,
    `-- Date:      ${header.date}`,
    `-- Run id:    ${runId}`,
    `-- Run with:  ${adapter.script.runWith}`,
    ...(bookkeeping
      ? []
      : ['-- Bookkeeping: none. This script does not record itself in the version table or the journal.']),
  ];
}

function stepComment(script: StepScript, index: number, total: number): string[] {
  const what = script.message === '' ? script.revision : `${script.revision} (${script.message})`;
  const file = fileOf(script);
  return [
    `-- Step ${index + 1}/${total}: ${script.direction} ${what}, transaction: ${script.transaction}`,
    ...(file === null ? [] : [`-- File: ${file}`]),
  ];
}

function fileOf(script: StepScript): string | null {
  const first = script.items.find((item) => item.kind === 'statement');
  return first?.kind === 'statement' ? first.location.file : null;
}

function renderItem(item: ScriptItem, adapter: DialectAdapter): string[] {
  if (item.kind === 'statement') {
    return [`-- ${item.location.file}:${item.location.line}`, adapter.renderScriptStatement(item.sql)];
  }
  return [terminate(item.sql)];
}

function terminate(sql: string): string {
  return /;\s*$/.test(sql) ? sql.trimEnd() : `${sql};`;
}

function headsText(heads: readonly string[]): string {
  return heads.length === 0 ? '(base)' : heads.join(' ');
}
