/** The migration editor (Monaco). Import lazily: Monaco is large. */
export { RevisionFileView } from './RevisionFileView.tsx';
