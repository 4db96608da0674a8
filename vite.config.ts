import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { earlyScript } from './scripts/vite-early-script';
import { pureContract } from './scripts/vite-pure-contract';
import { startChunk } from './scripts/vite-start-chunk';

const start = startChunk('renderer');

// The renderer builds and runs without Electron: the same bundle is loaded by the
// Electron window (file://) and served by `npm run web`.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), earlyScript('renderer'), pureContract(), start.plugin],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    // Loaded from local disk (or loopback), not a network: ~600 kB for React, zod (the shared
    // contract) and the app is fine. xterm is split off and loaded when a terminal opens.
    chunkSizeWarningLimit: 700,
    // What the start needs in one chunk, not a dozen (scripts/vite-start-chunk.ts).
    rolldownOptions: { output: { codeSplitting: { groups: start.groups } } },
  },
});
