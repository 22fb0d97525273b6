/** Exporting SQL for a DBA. */
export { ExportDialog } from './ExportDialog.tsx';
