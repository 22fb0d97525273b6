/** The details panel of the selected revision. */
export { DetailsPanel, type DetailsPanelProps } from './DetailsPanel.tsx';
export { useEngineQuery } from './use-engine-query.ts';
