import { EngineError } from '../engine/engine-error.ts';
import type { ProjectState } from './project-state.ts';

/**
 * Refuses to plan or write through a project whose files or graph have problems, reporting all of
 * them at once.
 *
 * @throws EngineError `GRAPH_INVALID` listing every problem with its files.
 */
export function assertGraphUsable(state: ProjectState): void {
  if (state.problems.length === 0) return;
  const lines = state.problems.map((p) => `  - ${p.message}`);
  throw new EngineError(
    'GRAPH_INVALID',
    `The migrations folder has ${state.problems.length} problem(s); fix them before running:\n${lines.join('\n')}`,
    { problems: state.problems },
  );
}
