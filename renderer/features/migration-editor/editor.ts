/** The Monaco views of the migration editor. Import lazily: Monaco is ~4 MB. */
export { RevisionEditor } from './RevisionEditor.tsx';
export { TextDiffDialog } from './TextDiffDialog.tsx';
