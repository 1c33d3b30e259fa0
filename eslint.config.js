// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // tmp/ is git-ignored scratch space (local experiments), as in .gitignore.
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'test/generated/', 'tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // The dashboard's browser modules (plain JavaScript, served as they are).
    files: ['src/web/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(
        [
          'AbortController',
          'AbortSignal',
          'Blob',
          'CustomEvent',
          'DecompressionStream',
          'Headers',
          'HTMLElement',
          'Node',
          'Response',
          'TextDecoderStream',
          'URL',
          'URLSearchParams',
          'atob',
          'clearInterval',
          'confirm',
          'createImageBitmap',
          'document',
          'fetch',
          'history',
          'location',
          'performance',
          'sessionStorage',
          'setInterval',
          'window',
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
);
