/**
 * Runs our codec tests against a library adapter instead of our codec, to see where the
 * library differs (golden frames, value model, error messages and offsets):
 *
 *   LIB=msgpackr npx vitest run --config bench/codecLibs/libTests.config.ts
 *
 * LIB is one of msgpackr, msgpackJs (@msgpack/msgpack), bsonLib (bson), fxpXml
 * (fast-xml-parser), valibotSchemaLib (valibot, on common/test/schemas.test.ts) or
 * tanstackWindow (@tanstack/virtual-core, on renderer/test/virtualWindow.test.ts). The adapter replaces our module everywhere the tests and the codec
 * registry import it. Failures here are the measured differences, not bugs of ours; this
 * configuration is not part of `npm test`.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const ADAPTERS: Record<string, { module: string; tests: string }> = {
  msgpackr: { module: 'msgpack', tests: 'msgpack' },
  msgpackJs: { module: 'msgpack', tests: 'msgpack' },
  bsonLib: { module: 'bson', tests: 'bson' },
  fxpXml: { module: 'xml', tests: 'xml' },
  valibotSchemaLib: { module: 'schemaLib', tests: 'common/test/schemas.test.ts' },
  tanstackWindow: { module: 'virtualWindow', tests: 'renderer/test/virtualWindow.test.ts' },
};

const lib = process.env.LIB ?? '';
const adapter = ADAPTERS[lib];
if (!adapter) throw new Error(`set LIB to one of ${Object.keys(ADAPTERS).join(', ')}`);

export default defineConfig({
  root: fileURLToPath(new URL('../../', import.meta.url)),
  resolve: {
    alias: [
      {
        find: new RegExp(`^(\\.\\.?/)+(src/types/|src/ipc/|src/lib/)?${adapter.module}\\.js$`),
        replacement: fileURLToPath(new URL(`./${lib}.ts`, import.meta.url)),
      },
    ],
  },
  test: {
    include: adapter.tests.includes('/')
      ? [adapter.tests]
      : [
          `client/test/types/${adapter.tests}.test.ts`,
          'client/test/types/properties.test.ts',
          'client/test/types/registry.test.ts',
        ],
    pool: 'forks',
    testTimeout: 60_000,
  },
});
