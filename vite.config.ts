import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

// The renderer: root renderer/, built to out/renderer (where electron/main/paths.ts, the browser
// host, build/start.ts and electron-builder look for it) with relative asset URLs (base './')
// so Electron (app:// or file://) and the browser host on any port can load it. No CDN: every
// asset is bundled. Vitest uses vitest.config.ts, not this file.
export default defineConfig({
  root: here('./renderer'),
  base: './',
  plugins: [svelte({ configFile: here('./svelte.config.js') })],
  build: {
    outDir: here('./out/renderer'),
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
  },
  server: {
    host: '127.0.0.1',
    strictPort: false,
    fs: { allow: [here('.')] },
  },
});
