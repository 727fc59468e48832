/**
 * The console (`/`) and the explorer (`/explorer`), built by `npm run build:web` (and by
 * `npm start` / the browser test tier when the build is missing or stale) into `dist/web`, which
 * the API serves as static files. Everything is bundled: the pages work with no network but the API.
 */
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = import.meta.dirname;

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: path.resolve(root, '..', 'dist', 'web'),
    emptyOutDir: true,
    assetsDir: 'assets',
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      input: {
        console: path.resolve(root, 'index.html'),
        explorer: path.resolve(root, 'explorer.html'),
      },
    },
  },
  logLevel: 'warn',
});
