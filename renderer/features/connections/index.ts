/** Managing the project's connections. */
export { ConnectionsDialog } from './ConnectionsDialog.tsx';
