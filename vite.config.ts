import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is plain web content: the same bundle runs in Electron (app://) and browser mode.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: false,
    // Electron 45 ships Chromium 142; browser mode needs a current browser.
    target: 'chrome120',
    // One local bundle (xterm.js is most of it), loaded from disk or loopback, never a network.
    chunkSizeWarningLimit: 1200,
  },
});
