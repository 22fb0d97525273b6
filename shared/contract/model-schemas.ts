/**
 * Runtime validators for the shared models that cross the app's transports (IPC, HTTP, WebSocket).
 * Each schema is checked against its model interface with `satisfies`, so a model change that the
 * schema misses fails the typecheck instead of drifting (STYLE.md §A, `shared/contract/`).
 */
import { z } from 'zod';
import type { GraphProblem } from './error-codes.ts';
import type { Diagnostic } from '../model/diagnostic.ts';
import { DIALECTS, ENVIRONMENT_TAGS } from '../model/dialect.ts';
import type { JournalEntry } from '../model/journal-entry.ts';
import { PHASES, TRANSACTION_MODES, type RevisionNode } from '../model/revision-node.ts';
import type { ErrorPayload, LockHolder, RunEvent, RunReport, StepReport } from '../model/run-event.ts';
import type { ResolveReport, ResolveStatement } from '../model/resolve-report.ts';

/** An array that validates to a readonly array, like the models' `readonly T[]`. */
export function list<T extends z.ZodType>(item: T) {
  return z.array(item).readonly();
}

/** A 12-hex revision id, a prefix of one, or a label: what a revision field may hold. */
export const revisionIdSchema = z.string().min(1).max(200);
export const dialectSchema = z.enum(DIALECTS);
export const environmentTagSchema = z.enum(ENVIRONMENT_TAGS);
export const transactionModeSchema = z.enum(TRANSACTION_MODES);
export const phaseSchema = z.enum(PHASES);
export const directionSchema = z.enum(['up', 'down', 'stamp']);
const ids = list(z.string());

export const revisionNodeSchema = z.object({
  revision: z.string(),
  downRevisions: ids,
  dependsOn: ids,
  branchLabels: ids,
  memberOf: ids,
  message: z.string(),
  created: z.string().nullable(),
  transaction: transactionModeSchema,
  phase: phaseSchema,
  file: z.string(),
  isHead: z.boolean(),
  isBase: z.boolean(),
  isBranchPoint: z.boolean(),
  isMergePoint: z.boolean(),
  reversible: z.boolean(),
  dialectOverrides: list(dialectSchema),
}) satisfies z.ZodType<RevisionNode>;

export const graphProblemSchema = z.object({
  kind: z.enum([
    'duplicateRevision',
    'unknownParent',
    'unknownDependency',
    'cycle',
    'labelClash',
    'duplicateLabel',
    'invalidFile',
  ]),
  message: z.string(),
  revisions: ids,
  files: ids,
  line: z.number().int().optional(),
}) satisfies z.ZodType<GraphProblem>;

export const diagnosticSchema = z.object({
  code: z.string(),
  severity: z.enum(['error', 'warning', 'info']),
  message: z.string(),
  file: z.string(),
  line: z.number().int().optional(),
}) satisfies z.ZodType<Diagnostic>;

export const journalEntrySchema = z.object({
  id: z.number(),
  stepId: z.string(),
  runId: z.string(),
  revision: z.string(),
  direction: directionSchema,
  fromHeads: ids,
  toHeads: ids,
  checksum: z.string().nullable(),
  appliedText: z.string().nullable(),
  status: z.enum(['running', 'succeeded', 'failed', 'dirty']),
  statementsDone: z.number(),
  statementsTotal: z.number(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  dbUser: z.string().nullable(),
  osUser: z.string().nullable(),
  host: z.string().nullable(),
  toolVersion: z.string().nullable(),
  error: z.string().nullable(),
}) satisfies z.ZodType<JournalEntry>;

export const errorPayloadSchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()),
}) satisfies z.ZodType<ErrorPayload>;

export const lockHolderSchema = z.object({
  host: z.string().nullable(),
  pid: z.number().nullable(),
  since: z.string().nullable(),
  detail: z.string().optional(),
}) satisfies z.ZodType<LockHolder>;

const stepStatusSchema = z.enum(['applied', 'failed', 'notRun', 'skipped']);

export const stepReportSchema = z.object({
  revision: z.string(),
  direction: directionSchema,
  status: stepStatusSchema,
  statementsDone: z.number(),
  statementsTotal: z.number(),
  durationMs: z.number(),
  rolledBack: z.boolean(),
  dirty: z.boolean(),
  error: errorPayloadSchema.optional(),
}) satisfies z.ZodType<StepReport>;

export const runReportSchema = z.object({
  runId: z.string(),
  ok: z.boolean(),
  cancelled: z.boolean(),
  dryRun: z.boolean(),
  headsBefore: ids,
  headsAfter: ids,
  steps: list(stepReportSchema),
  durationMs: z.number(),
}) satisfies z.ZodType<RunReport>;

const sourceLocationSchema = z.object({ file: z.string(), line: z.number() });

export const runEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('lockWaiting'), holder: lockHolderSchema.nullable(), waitedMs: z.number() }),
  z.object({ kind: z.literal('lockAcquired') }),
  z.object({ kind: z.literal('runStarted'), runId: z.string(), steps: z.number(), dryRun: z.boolean() }),
  z.object({
    kind: z.literal('stepStarted'),
    index: z.number(),
    total: z.number(),
    revision: z.string(),
    direction: directionSchema,
    message: z.string(),
    statements: z.number(),
    transaction: transactionModeSchema,
    phase: phaseSchema.nullable(),
  }),
  z.object({
    kind: z.literal('statementStarted'),
    step: z.number(),
    index: z.number(),
    total: z.number(),
    location: sourceLocationSchema,
    sql: z.string(),
  }),
  z.object({
    kind: z.literal('statementFinished'),
    step: z.number(),
    index: z.number(),
    durationMs: z.number(),
  }),
  z.object({
    kind: z.literal('stepFinished'),
    index: z.number(),
    revision: z.string(),
    status: stepStatusSchema,
    durationMs: z.number(),
  }),
  z.object({ kind: z.literal('runFinished'), report: runReportSchema }),
]) satisfies z.ZodType<RunEvent>;

const resolveStatementSchema = z.object({
  index: z.number(),
  file: z.string(),
  line: z.number(),
  firstLine: z.string(),
}) satisfies z.ZodType<ResolveStatement>;

export const resolveActionSchema = z.enum(['resume', 'markApplied', 'markRolledBack']);

export const resolveReportSchema = z.object({
  action: resolveActionSchema,
  dryRun: z.boolean(),
  ok: z.boolean(),
  journalId: z.number(),
  revision: z.string(),
  direction: directionSchema,
  message: z.string(),
  file: z.string().nullable(),
  fromHeads: ids,
  toHeads: ids,
  statementsDone: z.number(),
  statementsTotal: z.number(),
  ran: list(resolveStatementSchema),
  notRun: list(resolveStatementSchema),
  fileChanged: z.boolean(),
  status: z.enum(['running', 'succeeded', 'failed', 'dirty']),
  statementsDoneAfter: z.number(),
  note: z.string(),
  headsBefore: ids,
  headsAfter: ids,
  error: errorPayloadSchema.optional(),
  otherDirty: list(z.object({ revision: z.string(), journalId: z.number() })),
  durationMs: z.number(),
}) satisfies z.ZodType<ResolveReport>;
