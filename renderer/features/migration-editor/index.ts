/** The migration editor: new revisions, and (lazily, from ./editor.ts) the Monaco views. */
export { NewRevisionDialog } from './NewRevisionDialog.tsx';
