import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer build (React), shared by the desktop app and the local browser mode. The renderer
// itself arrives with the app issue; this config is its home so both builds use one definition.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: { outDir: '../out/renderer', emptyOutDir: true },
});
