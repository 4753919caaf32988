import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Vite root is this folder (web/). The server serves web/dist at "/" and the API under /api/v1.
const webDir = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: webDir,
  base: '/',
  // Vite 8 transforms TS/JSX with oxc; React 17+ automatic runtime, no plugin needed.
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
  },
  server: {
    // `npx vite web` during development: forward the API to the local server.
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
