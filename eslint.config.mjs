// Lint rules, including the layer rules of DESIGN.md §1: code imports from its own layer and from
// common/, never sideways. Type-checking enforces the same from the other side (renderer has no
// Node types, main has no DOM), so a wrong import fails twice.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'child_process',
  'net',
  'http',
  'https',
  'crypto',
  'stream',
  'util',
  'events',
  'url',
  'worker_threads',
  'module',
];
const nodeBuiltinPatterns = nodeBuiltins.map((name) => ({
  group: [name],
  message: 'Node built-ins are not allowed in this layer.',
}));
const mainOnlyPackages = ['serialport', '@serialport/*', 'keytar', 'pino', 'oauth4webapi', 'oidc-provider', 'ws'].map(
  (name) => ({
    group: [name],
    message: 'This package belongs to main/: the window reaches it only through the contract.',
  }),
);
/** Packages that check the product from outside (docs/security.md §5): never part of what ships. */
const testOnly = {
  group: ['losant-rest', 'losant-rest/*', 'ajv', 'ajv/*', '@axe-core/*'],
  message: 'A test-only package (docs/security.md §5): it never ships, so the app may not import it.',
};
const noElectron = {
  group: ['electron'],
  message: 'Only the Electron shell files (main/electron/, preload/) may import electron.',
};
const sideways = (layers) =>
  layers.map((layer) => ({
    group: [`**/${layer}/**`, `../${layer}`, `../../${layer}`],
    message: `Never import ${layer}/ from this layer (DESIGN.md §1).`,
  }));

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'release/**',
      'node_modules/**',
      '.tsbuild/**',
      'test-results/**',
      'playwright-report/**',
      'coverage/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['common/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...nodeBuiltinPatterns,
            ...mainOnlyPackages,
            noElectron,
            testOnly,
            { group: ['react', 'react-dom', 'react/*'], message: 'common/ is UI-free.' },
            ...sideways(['main', 'preload', 'renderer', 'simulators', 'test']),
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/vite.config.mts'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...nodeBuiltinPatterns,
            ...mainOnlyPackages,
            noElectron,
            testOnly,
            ...sideways(['main', 'preload', 'simulators', 'test']),
          ],
        },
      ],
    },
  },
  {
    files: ['preload/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...nodeBuiltinPatterns,
            ...mainOnlyPackages,
            testOnly,
            ...sideways(['main', 'renderer', 'simulators', 'test']),
          ],
        },
      ],
    },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/electron/**', 'main/host/sandbox/**', 'main/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noElectron,
            testOnly,
            { group: ['react', 'react-dom', 'react/*'], message: 'main/ has no UI.' },
            ...sideways(['renderer', 'preload', 'simulators', 'test']),
          ],
        },
      ],
    },
  },
  {
    files: ['main/electron/**/*.ts'],
    ignores: ['main/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...sideways(['renderer', 'preload', 'simulators', 'test'])] }],
    },
  },
  {
    files: ['simulators/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...sideways(['main', 'renderer', 'preload', 'test'])] }],
    },
  },
  {
    // CLIs and scripts talk to a terminal.
    files: ['scripts/**', 'bin/**', 'simulators/**/cli.ts', 'simulators/**/*-cli.ts', 'test/**', 'bench/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
