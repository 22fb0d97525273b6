/**
 * The app's one typed contract: every command the renderer can call, with a validator for its input
 * and its output (STYLE.md §A). The desktop app serves it over a MessagePort to the engine worker,
 * `stratum serve` over HTTP; both go through the same dispatcher (electron/transports/rpc).
 *
 * Method names are `noun.verb` (STYLE.md §C.6). Inputs are strict objects: an unknown key is an
 * INVALID_INPUT error, not silently dropped.
 */
import { z } from 'zod';
import { connectionDraftSchema, connectionInfoSchema, connectionTestSchema } from './connection-schemas.ts';
import { databaseStateSchema, planPreviewSchema, runKindSchema, runResultSchema } from './plan-schemas.ts';
import {
  projectSummarySchema,
  revisionDetailSchema,
  revisionFileTextSchema,
  revisionGraphSchema,
} from './project-schemas.ts';
import {
  diagnosticSchema,
  dialectSchema,
  journalEntrySchema,
  resolveActionSchema,
  resolveReportSchema,
  revisionIdSchema,
  runReportSchema,
  list,
  phaseSchema,
  transactionModeSchema,
} from './model-schemas.ts';

const empty = z.strictObject({});
const connectionId = z.string().min(1).max(100);
/** A client-chosen run id, so the client can follow the run's events and cancel it while it runs. */
const runId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'A run id is 8–64 letters, digits, - or _.');
/** A target as DESIGN.md §3 writes it; parsed and resolved by the engine. */
const target = z.string().trim().min(1, 'Choose a target revision.').max(200);
/** A revision file, relative to the project root (`migrations/….sql`); the engine checks the folder. */
const revisionFile = z
  .string()
  .min(1)
  .max(1000)
  .regex(/\.sql$/, 'A revision file ends in .sql.');
/** A revision file's text: up to 5 MB. */
const fileText = z.string().max(5_000_000, 'A revision file is limited to 5 MB in the editor.');
const writtenRevision = z.object({ revision: z.string(), file: z.string() });
const rehearsalMode = z.enum(['scratch', 'inTransaction']);

/** The contract: method name → input and output validators. */
export const ENGINE_CONTRACT = {
  'app.info': {
    input: empty,
    output: z.object({
      version: z.string(),
      /** `desktop` in Electron, `browser` under `stratum serve`. */
      mode: z.enum(['desktop', 'browser']),
      project: projectSummarySchema.nullable(),
      recentProjects: list(z.string()),
    }),
  },
  'project.open': {
    input: z.strictObject({ path: z.string().min(1).max(4096) }),
    output: projectSummarySchema,
  },
  'project.openDemo': { input: empty, output: projectSummarySchema },
  'revisions.list': { input: empty, output: revisionGraphSchema },
  'revisions.show': {
    input: z.strictObject({ revision: revisionIdSchema }),
    output: revisionDetailSchema,
  },
  'revisions.merge': {
    input: z.strictObject({
      message: z.string().trim().min(1, 'Write a message for the merge revision.').max(500),
      /** The revisions to join; default every head. */
      revisions: z.array(revisionIdSchema).min(2, 'Choose two or more heads to merge.').max(100).optional(),
    }),
    output: writtenRevision,
  },
  'revisions.create': {
    input: z.strictObject({
      message: z.string().trim().min(1, 'Write a message: what the revision does.').max(500),
      /** The parent revision; `base` starts a new base; absent: the project's single head. */
      parent: z.union([revisionIdSchema, z.literal('base')]).optional(),
      labels: z.array(z.string().trim().min(1).max(100)).max(20),
      transaction: transactionModeSchema,
      phase: phaseSchema,
    }),
    output: writtenRevision,
  },
  'files.read': { input: z.strictObject({ file: revisionFile }), output: revisionFileTextSchema },
  'files.check': {
    input: z.strictObject({ file: revisionFile, text: fileText }),
    output: z.object({ findings: list(diagnosticSchema) }),
  },
  'files.save': {
    input: z.strictObject({
      file: revisionFile,
      text: fileText,
      /** The hash `files.read` gave: a save over a file someone else changed is refused. */
      baseHash: z.string().regex(/^[0-9a-f]{64}$/, 'baseHash is the hash files.read returned.'),
      /** Write even when the check finds errors. */
      force: z.boolean().optional(),
    }),
    output: z.object({ saved: z.boolean(), hash: z.string(), findings: list(diagnosticSchema) }),
  },
  'connections.list': { input: empty, output: z.object({ connections: list(connectionInfoSchema) }) },
  'connections.save': { input: connectionDraftSchema, output: connectionInfoSchema },
  'connections.delete': { input: z.strictObject({ id: connectionId }), output: z.object({}) },
  'connections.test': {
    input: z.union([z.strictObject({ id: connectionId }), z.strictObject({ draft: connectionDraftSchema })]),
    output: connectionTestSchema,
  },
  'database.state': { input: z.strictObject({ connectionId }), output: databaseStateSchema },
  'journal.list': {
    input: z.strictObject({
      connectionId,
      revision: revisionIdSchema.optional(),
      limit: z.number().int().min(1).max(10_000).optional(),
    }),
    output: z.object({ entries: list(journalEntrySchema) }),
  },
  'plan.preview': {
    input: z.strictObject({ connectionId, kind: runKindSchema, target }),
    output: planPreviewSchema,
  },
  'migrations.run': {
    input: z.strictObject({
      connectionId,
      kind: runKindSchema,
      target,
      runId,
      /** On a production connection: the database name, typed by the user. */
      confirmation: z.string().max(500).optional(),
    }),
    output: runResultSchema,
  },
  'plan.rehearse': {
    input: z.strictObject({
      connectionId,
      kind: z.enum(['upgrade', 'downgrade']),
      target,
      runId,
      /** A scratch copy (default), or the real database inside a transaction that is rolled back. */
      mode: rehearsalMode.optional(),
    }),
    output: z.object({
      mode: rehearsalMode,
      /** Where it ran (no password): the scratch database, already dropped, or the original. */
      scratch: z.string(),
      from: list(z.string()),
      replayed: z.number(),
      report: runReportSchema,
      statements: list(
        z.object({
          step: z.number(),
          index: z.number(),
          file: z.string(),
          line: z.number(),
          sql: z.string(),
          durationMs: z.number().nullable(),
        }),
      ),
    }),
  },
  'sql.export': {
    input: z.strictObject({
      direction: z.enum(['upgrade', 'downgrade']),
      /** `FROM:TO` (upgrade: `TO` alone means `base:TO`); with `connectionId`, only the target. */
      range: target,
      /** Start from this connection's current heads instead of the range's start. */
      connectionId: connectionId.optional(),
      /** Render for another dialect (its `-- migrate:up <dialect>` sections); default the project's. */
      dialect: dialectSchema.optional(),
      /** Include the version/journal bookkeeping, so the script records itself like a run. */
      bookkeeping: z.boolean(),
      split: z.enum(['single', 'perRevision']),
    }),
    output: z.object({
      dialect: dialectSchema,
      steps: z.number(),
      files: list(z.object({ name: z.string(), script: z.string() })),
    }),
  },
  'run.cancel': { input: z.strictObject({ runId }), output: z.object({ cancelled: z.boolean() }) },
  'dirty.resolve': {
    input: z.strictObject({
      connectionId,
      revision: revisionIdSchema,
      action: resolveActionSchema,
      runId,
      confirmation: z.string().max(500).optional(),
    }),
    output: resolveReportSchema,
  },
} as const;

/** Every method of the contract. */
export type EngineMethod = keyof typeof ENGINE_CONTRACT;
/** The list of methods, for transports that route by name. */
export const ENGINE_METHODS = Object.keys(ENGINE_CONTRACT) as EngineMethod[];
/** What a method takes (before validation defaults). */
export type EngineInput<M extends EngineMethod> = z.input<(typeof ENGINE_CONTRACT)[M]['input']>;
/** What a method's handler receives: the input after validation. */
export type EngineParsedInput<M extends EngineMethod> = z.output<(typeof ENGINE_CONTRACT)[M]['input']>;
/** What a method returns. */
export type EngineOutput<M extends EngineMethod> = z.output<(typeof ENGINE_CONTRACT)[M]['output']>;

/** Whether `name` is a method of the contract. */
export function isEngineMethod(name: string): name is EngineMethod {
  return Object.hasOwn(ENGINE_CONTRACT, name);
}
