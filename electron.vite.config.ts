// Builds the three Electron targets into out/: main (ESM), preload (CommonJS, as a sandboxed preload must
// be, with its few dependencies bundled in) and the React renderer.
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          // Worker threads: each its own entry beside index.js (see src/main/core/workers.ts).
          'send-worker': resolve('src/main/core/campaigns/send-worker.ts'),
          'dry-run-worker': resolve('src/main/core/campaigns/dry-run-worker.ts'),
          'start-worker': resolve('src/main/core/campaigns/start-worker.ts'),
          'encrypt-worker': resolve('src/main/core/push/encrypt-worker.ts'),
          'export-worker': resolve('src/main/core/subscriptions/export/export-worker.ts'),
          'import-worker': resolve('src/main/core/subscriptions/import/import-worker.ts'),
          'import-read-worker': resolve('src/main/core/subscriptions/import/import-read-worker.ts'),
          'query-worker': resolve('src/main/core/query-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    build: {
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
    plugins: [react()],
  },
});
