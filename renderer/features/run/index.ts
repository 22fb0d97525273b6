/** Running plans from the app: confirmation, progress, outcome, and resolving dirty steps. */
export { RunDialog, type RunDialogProps } from './RunDialog.tsx';
export { ResolveDialog } from './ResolveDialog.tsx';
export { applyRunEvent, INITIAL_PROGRESS, type RunProgress } from './run-progress.ts';
