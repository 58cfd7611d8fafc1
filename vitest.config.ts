import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['client/test/**/*.test.ts', 'sandbox/test/**/*.test.ts', 'integration/**/*.test.ts', 'common/test/**/*.test.ts', 'electron/test/**/*.test.ts', 'renderer/test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
  },
});
