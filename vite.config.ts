import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { earlyScript } from './scripts/vite-early-script';
import { pureContract } from './scripts/vite-pure-contract';

// The renderer builds and runs without Electron: the same bundle is loaded by the
// Electron window (file://) and served by `npm run web`.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), earlyScript('renderer'), pureContract()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    // Loaded from local disk (or loopback), not a network: ~600 kB for React, zod (the shared
    // contract) and the app is fine. xterm is split off and loaded when a terminal opens.
    chunkSizeWarningLimit: 700,
  },
});
