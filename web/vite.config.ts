import path from 'node:path';
import { defineConfig } from 'vite';

// The dashboard builds into dist/web, which `medic start` serves. esbuild handles TSX itself, so no
// React plugin is needed (Fast Refresh is the only thing it would add, for development).
export default defineConfig({
  root: path.resolve(import.meta.dirname),
  base: '/',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: path.resolve(import.meta.dirname, '../dist/web'),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 800,
    rollupOptions: {
      // @tanstack/react-query marks its hooks "use client" for React Server Components; a bundle that
      // runs only in the browser has nothing to do with the mark, and Rollup warns once per file.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/ofrep': 'http://127.0.0.1:8080' } },
});
