// The layering of ../shared/DESIGN.md, enforced: core ← gpu ← workers ← client ← ui (and cli beside client).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const layer = (files, banned, why) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      { patterns: banned.map((dir) => ({ group: [`**/${dir}/*`, `**/${dir}`], message: why })) },
    ],
  },
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/out/**', 'public/**', 'tests/.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['bin/**/*.mjs', 'scripts/**/*.mjs', 'bench/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', performance: 'readonly', URL: 'readonly' } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  layer(['src/core/**'], ['gpu', 'workers', 'client', 'ui', 'cli'], 'core is pure: it imports nothing outside core.'),
  {
    files: ['src/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['react', 'react-dom', 'comlink', 'node:fs', 'node:worker_threads', 'fs', 'worker_threads'].map((name) => ({
            name,
            message: 'core is pure TypeScript: no DOM, React, comlink or Node-only modules.',
          })),
          patterns: ['workers', 'client', 'ui', 'cli', 'gpu'].map((dir) => ({
            group: [`**/${dir}/*`],
            message: 'core imports nothing outside core.',
          })),
        },
      ],
    },
  },
  layer(['src/gpu/**'], ['workers', 'client', 'ui', 'cli'], 'gpu may import only core.'),
  layer(['src/workers/**'], ['client', 'ui', 'cli'], 'workers may import core and gpu only.'),
  layer(['src/client/**'], ['ui', 'cli'], 'client sits below ui.'),
  layer(['src/ui/**'], ['gpu', 'workers', 'cli'], 'ui talks to workers only through src/client.'),
);
