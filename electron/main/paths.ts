import { join } from 'node:path';

/**
 * Where the build puts things, relative to the app folder (`app.getAppPath()`); the
 * electron-vite / electron-builder configuration must agree (see build/electron-builder.yml).
 */
export const BUILD_LAYOUT = {
  rendererDir: join('out', 'renderer'),
  preload: join('out', 'preload', 'index.cjs'),
  icon: join('build', 'icons', 'icon.png'),
} as const;
