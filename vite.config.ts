import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer builds and runs without Electron: the same bundle is loaded by the
// Electron window (file://) and served by `npm run web`.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
  },
});
