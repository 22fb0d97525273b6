/** Database state and run plans as the app shows them. */
import { z } from 'zod';
import {
  directionSchema,
  environmentTagSchema,
  journalEntrySchema,
  phaseSchema,
  runReportSchema,
  transactionModeSchema,
  list,
} from './model-schemas.ts';

/** The kinds of run the app starts. */
export const RUN_KINDS = ['upgrade', 'downgrade', 'stamp'] as const;
export const runKindSchema = z.enum(RUN_KINDS);
/** One of {@link RUN_KINDS}. */
export type RunKind = z.infer<typeof runKindSchema>;

/** What a database has applied, against the project's files. */
export const databaseStateSchema = z.object({
  connectionId: z.string(),
  /** False when the database does not exist yet: everything is pending. */
  exists: z.boolean(),
  /** The version table's rows: the heads the database sits on. */
  current: list(z.string()),
  applied: list(z.string()),
  pending: list(z.string()),
  /**
   * Applied revisions whose file changed since: a unified diff of applied against current, and both
   * texts (the up and down SQL the checksum covers) for a side-by-side view.
   */
  modified: list(
    z.object({
      revision: z.string(),
      file: z.string(),
      diff: z.string(),
      appliedText: z.string(),
      currentText: z.string(),
    }),
  ),
  /** Applied revisions the migrations folder no longer has. */
  missing: list(z.string()),
  /** Journal rows that block runs until resolved. */
  dirty: list(journalEntrySchema),
});
/** What a database has applied. */
export type DatabaseState = z.infer<typeof databaseStateSchema>;

/** A warning the confirmation dialog lists before a run. */
export const planWarningSchema = z.object({
  kind: z.enum(['irreversible', 'transactionNone', 'postDeploy', 'downgrade', 'stamp', 'production']),
  message: z.string(),
  revision: z.string().nullable(),
});
/** A warning the confirmation dialog lists. */
export type PlanWarning = z.infer<typeof planWarningSchema>;

/** One step of a previewed plan. */
export const planStepViewSchema = z.object({
  /** Null only for a stamp to base. */
  revision: z.string().nullable(),
  message: z.string(),
  direction: directionSchema,
  transaction: transactionModeSchema,
  phase: phaseSchema,
  reversible: z.boolean(),
  statements: z.number(),
  /**
   * The statements the step runs, in order, with where each starts: captured from a dry run of the
   * executor itself, so they are exactly what a real run executes (STYLE.md §F.4).
   */
  sql: list(z.object({ sql: z.string(), file: z.string(), line: z.number() })),
  /**
   * The tables the step's statements touch, sized on the database before the run: `exists` false
   * for a table the plan creates; rows are the statistics' estimate (null on SQLite).
   */
  tables: list(
    z.object({
      name: z.string(),
      exists: z.boolean(),
      rows: z.number().nullable(),
      bytes: z.number().nullable(),
    }),
  ),
  file: z.string().nullable(),
  fromHeads: list(z.string()),
  toHeads: list(z.string()),
});
/** One step of a previewed plan. */
export type PlanStepView = z.infer<typeof planStepViewSchema>;

/** The exact plan a run would execute, computed from the database's current heads. */
export const planPreviewSchema = z.object({
  kind: runKindSchema,
  target: z.string(),
  connectionId: z.string(),
  tag: environmentTagSchema,
  fromHeads: list(z.string()),
  toHeads: list(z.string()),
  steps: list(planStepViewSchema),
  warnings: list(planWarningSchema),
  /** On a production connection: the text the user must type to confirm (the database's name). */
  confirmWith: z.string().nullable(),
});
/** The exact plan a run would execute. */
export type PlanPreview = z.infer<typeof planPreviewSchema>;

/** What a finished run returns. */
export const runResultSchema = z.object({ plan: planPreviewSchema.nullable(), report: runReportSchema });
/** What a finished run returns. */
export type RunResult = z.infer<typeof runResultSchema>;
