// @ts-check
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import svelteConfig from './svelte.config.js';

/**
 * The layer matrix of docs/architecture.md, enforced on imports:
 * client imports nothing of ours; sandbox may use client (never electron, renderer, common);
 * common touches neither Node nor the DOM; electron may use client, sandbox and common;
 * renderer may use common and the pure (Node-free) modules of client.
 */
const ours = (...dirs) => dirs.map((d) => `**/${d}/**`);
const layer = (files, group, message) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: [{ group, message }] }],
  },
});

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      '.tsbuild/',
      'dist/',
      'out/',
      'test-results/',
      'playwright-report/',
      '**/*.d.ts',
    ],
  },
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // Svelte components and rune modules (*.svelte.ts) parse their scripts as TypeScript.
    files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'], svelteConfig },
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.svelte'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['client/src/**/*.ts'],
    rules: {
      'no-console': 'error',
    },
  },
  layer(['client/**/*.ts'], ours('sandbox', 'common', 'electron', 'renderer', 'e2e', 'bench'), 'client/ imports nothing of ours (layer matrix)'),
  layer(['sandbox/**/*.ts'], ours('common', 'electron', 'renderer', 'e2e', 'bench'), 'sandbox/ may import only client/ (layer matrix)'),
  layer(['common/**/*.ts'], [...ours('client', 'sandbox', 'electron', 'renderer', 'e2e', 'bench'), 'node:*', 'fs', 'net', 'path'], 'common/ is pure: no Node, no DOM, none of our other layers'),
  layer(['electron/**/*.ts'], ours('renderer', 'e2e', 'bench'), 'electron/ may import client/, sandbox/ and common/ only (layer matrix)'),
  layer(
    ['renderer/**/*.ts', 'renderer/**/*.svelte'],
    [...ours('sandbox', 'electron', 'e2e', 'bench', 'client/src/transport', 'client/src/client*', 'client/src/ha', 'client/src/stores'), 'node:*'],
    'renderer/ imports only common/ and the pure modules of client/ (layer matrix)',
  ),
);
