/**
 * Events the engine pushes to the renderer (DESIGN.md §5): every `RunEvent` of a run, tagged with
 * the run id the client chose in `migrations.run` / `dirty.resolve`; and `project.changed` when a
 * file of the open project changed on disk (another program, the CLI, a `git pull`), so the app
 * reloads its graph.
 */
import { z } from 'zod';
import { runEventSchema } from './model-schemas.ts';

export const engineEventSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('run.event'),
    runId: z.string(),
    event: runEventSchema,
  }),
  z.object({ kind: z.literal('project.changed') }),
]);
/** An event the engine pushes to the renderer. */
export type EngineEvent = z.infer<typeof engineEventSchema>;
/** The event of a run (`run.event`). */
export type RunEngineEvent = Extract<EngineEvent, { kind: 'run.event' }>;
