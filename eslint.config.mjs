// Lint, including the layer rules: a file's folder says where it runs and what it may import.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'http', 'https', 'net', 'crypto', 'child_process', 'stream', 'zlib', 'url', 'events', 'worker_threads', 'util'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Only src/main/shell may import electron (VS Code's electron-main rule).
    files: ['src/main/core/**/*.ts', 'src/fleet/**/*.ts', 'src/main/serve/**/*.ts', 'src/main/session/**/*.ts', 'src/main/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'electron is imported only in src/main/shell' }] }],
    },
  },
  {
    // Shared contract and renderer run in the browser too: no electron, no Node built-ins.
    files: ['src/shared/**/*.ts', 'src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'electron is imported only in src/main/shell' }],
        patterns: [{ group: nodeBuiltins, message: 'no Node built-ins in src/shared or src/renderer' }],
      }],
    },
  },
);
