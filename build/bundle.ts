/**
 * Bundles the Node-side parts for Electron and for packaging (layout of build/electron-builder.yml
 * and electron/main/paths.ts):
 *   out/main/index.js      the main process (ESM)
 *   out/preload/index.cjs  the preload (CommonJS: sandboxed preloads cannot load modules)
 *   out/sandbox/main.js    the sandbox server, one file, started as a child process
 * The renderer is built by Vite into out/renderer.
 */
import { build, type BuildOptions } from 'esbuild';

const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // Optional native speed-ups of `ws`; it works without them.
  external: ['electron', 'bufferutil', 'utf-8-validate'],
};

/** CommonJS dependencies (ws) call require(); give the ESM bundles one. */
const esm: BuildOptions = {
  ...common,
  format: 'esm',
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
};

await Promise.all([
  build({ ...esm, entryPoints: ['electron/main/index.ts'], outfile: 'out/main/index.js' }),
  build({ ...common, entryPoints: ['electron/preload/index.ts'], outfile: 'out/preload/index.cjs', format: 'cjs' }),
  build({ ...esm, entryPoints: ['sandbox/src/main.ts'], outfile: 'out/sandbox/main.js' }),
]);
process.stdout.write('bundled out/main, out/preload, out/sandbox\n');
