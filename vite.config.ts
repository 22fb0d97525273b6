import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer build (React), shared by the desktop app and the local browser mode. The renderer
// itself arrives with the app issue; this config is its home so both builds use one definition.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  // Monaco is one lazily loaded chunk of ~3.5 MB (editing features, SQL grammars only); the app's own chunk is small.
  build: { outDir: '../out/renderer', emptyOutDir: true, chunkSizeWarningLimit: 4000 },
});
