// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Folders that must run on Node and on workerd alike: Web standards only. */
const runtimeFree = [
  'core/**',
  'tenants/**',
  'consent/**',
  'policies/**',
  'connectors/**',
  'certs/**',
  'audit/**',
  'exchange/**',
  'monitoring/**',
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', 'coverage/**', '.wrangler/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'cli/bin.mjs', 'scripts/build-cli.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      'no-console': 'error',
    },
  },
  {
    files: [
      ...runtimeFree,
      'gateway/app.ts',
      'gateway/app-*.ts',
      'gateway/env.ts',
      'gateway/problem.ts',
      'gateway/error-handler.ts',
      'gateway/config.ts',
      'gateway/config-eid.ts',
      'gateway/logging.ts',
      'gateway/middleware/**',
      'gateway/routes/**',
      'gateway/portal/**',
      'gateway/monitoring-pages/**',
      'gateway/metrics/**',
      'gateway/form-body.ts',
    ],
    // gateway/metrics/node-prometheus.ts is the Node-only adapter of the metrics port.
    ignores: ['**/*.test.ts', 'gateway/metrics/node-*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*'],
              message: 'runtime-free code uses Web standards, not Node built-ins',
            },
            {
              group: ['better-sqlite3', '**/storage/**'],
              message: 'storage is injected through ports',
            },
          ],
        },
      ],
    },
  },
  {
    files: runtimeFree,
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'domain modules use Web standards, not Node built-ins' },
            {
              group: ['hono', 'hono/*', '@hono/*'],
              message: 'domain modules know nothing of HTTP',
            },
            {
              group: ['better-sqlite3', '**/storage/**', '**/gateway/**'],
              message: 'domain modules declare ports instead',
            },
          ],
        },
      ],
    },
  },
  {
    // The D1 adapter runs on workerd only: Web standards and the binding it is handed.
    files: ['storage/d1/**'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'storage/d1 runs on workerd: no Node built-ins' },
            {
              group: ['better-sqlite3', 'pg', '**/sqlite/**', '**/postgres/**', '**/gateway/**'],
              message: 'storage/d1 speaks to D1 through its binding only',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['cli/bin.mjs', 'scripts/build-cli.mjs', '*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
