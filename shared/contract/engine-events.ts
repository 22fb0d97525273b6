/**
 * Events the engine pushes to the renderer while a command runs (DESIGN.md §5): every `RunEvent` of
 * a run, tagged with the run id the client chose in `migrations.run` / `dirty.resolve`.
 */
import { z } from 'zod';
import { runEventSchema } from './model-schemas.ts';

export const engineEventSchema = z.object({
  kind: z.literal('run.event'),
  runId: z.string(),
  event: runEventSchema,
});
/** An event the engine pushes to the renderer. */
export type EngineEvent = z.infer<typeof engineEventSchema>;
