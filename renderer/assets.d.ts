/** Vite bundles imported stylesheets; TypeScript only needs to know the import is allowed. */
declare module '*.css';
/** Vite's `?worker` imports: the module's default export constructs the worker. */
declare module '*?worker' {
  const WorkerConstructor: new () => Worker;
  // Vite's `?worker` modules have a default export; this only describes it.
  // eslint-disable-next-line no-restricted-syntax
  export default WorkerConstructor;
}
