/** The project the app has open, its graph, and one revision in detail. */
import { z } from 'zod';
import {
  diagnosticSchema,
  dialectSchema,
  graphProblemSchema,
  revisionNodeSchema,
  list,
} from './model-schemas.ts';

/** The open project: where it is and what it holds. */
export const projectSummarySchema = z.object({
  root: z.string(),
  /** The folder's name, for titles. */
  name: z.string(),
  dialect: dialectSchema,
  migrations: z.string(),
  /** True for the built-in demo project. */
  isDemo: z.boolean(),
  revisionCount: z.number(),
  heads: list(z.string()),
});
/** The open project. */
export type ProjectSummary = z.infer<typeof projectSummarySchema>;

/** The whole graph, newest first, with what went wrong while loading it. */
export const revisionGraphSchema = z.object({
  nodes: list(revisionNodeSchema),
  problems: list(graphProblemSchema),
  diagnostics: list(diagnosticSchema),
});
/** The whole graph, newest first. */
export type RevisionGraphView = z.infer<typeof revisionGraphSchema>;

/** One revision in full: its node, file text and the up/down SQL for the project's dialect. */
export const revisionDetailSchema = z.object({
  node: revisionNodeSchema,
  checksum: z.string(),
  text: z.string(),
  /** The up SQL and the file line it starts on. */
  up: z.object({ sql: z.string(), line: z.number() }),
  /** Null when the revision is irreversible. */
  down: z.object({ sql: z.string(), line: z.number() }).nullable(),
});
/** One revision in full. */
export type RevisionDetailView = z.infer<typeof revisionDetailSchema>;

/** A revision file as the editor reads it, with the hash a save must find on disk. */
export const revisionFileTextSchema = z.object({
  file: z.string(),
  text: z.string(),
  /** SHA-256 (hex) of `text`. */
  hash: z.string(),
});
/** A revision file as the editor reads it. */
export type RevisionFileText = z.infer<typeof revisionFileTextSchema>;
