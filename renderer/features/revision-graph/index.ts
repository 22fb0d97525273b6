/** The revision graph feature: the virtualized lane list and its pure layout. */
export { RevisionGraph, type RevisionGraphProps } from './RevisionGraph.tsx';
export { indexState, layoutGraph, type GraphLayout, type StateIndex } from './graph-rows.ts';
