// Lint rules follow STYLE.md: no floating or misused promises, explicit return types on exports, no import cycles.
// Agent and coordinator are peers: neither imports the other; what both use lives under proto/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

export default tseslint.config(
  // proto/generated/ is written by proto/gen-types.sh (npm run proto:gen) and never edited by hand.
  { ignores: ['dist/**', 'node_modules/**', 'proto/generated/**', 'test/eslint.config.js', 'test/vitest.config.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      // The two programs whose files are linted: the root tsconfig holds every .ts file outside the
      // console (bench/*/tsconfig.json only narrow it, with the same options), the console's its
      // .tsx and build.mjs. Named here rather than found per file (projectService), which also
      // built a program for each benchmark's tsconfig: a quarter of lint's CPU for the same types.
      // A file in neither is a parse error naming the file.
      parserOptions: {
        project: ['./tsconfig.json', './coordinator/console/tsconfig.json'],
        tsconfigRootDir: new URL('..', import.meta.url).pathname,
      },
    },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/explicit-module-boundary-types': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': 'error',
      'max-len': [
        'error',
        {
          code: 140,
          ignoreUrls: false,
          ignoreStrings: false,
          ignoreTemplateLiterals: false,
          ignoreRegExpLiterals: false,
          ignoreComments: false,
        },
      ],
    },
  },
  ...[
    { files: ['agent/**/*.ts'], from: 'coordinator', message: 'the agent may not import the coordinator: share code through proto/' },
    { files: ['coordinator/**/*.ts'], from: 'agent', message: 'the coordinator may not import the agent: share code through proto/' },
    { files: ['proto/**/*.ts'], from: '(agent|coordinator)', message: 'proto/ is shared by both daemons and imports neither' },
  ].map(({ files, from, message }) => ({
    files,
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: `(^|/)${from}/src/`, message }] }] },
  })),
  {
    // moorctl talks to the coordinator over its API only: it links no server code.
    files: ['coordinator/src/cli/**/*.ts', 'coordinator/src/client/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./(?!client/|cli/)[^.]',
              message: 'moorctl may import only cli/, client/ and proto/: no coordinator server code',
            },
            { regex: '(^|/)agent/src/', message: 'the coordinator may not import the agent' },
          ],
        },
      ],
    },
  },
  {
    // The agent's config is typed by its zod schema (agent/src/config/config-schema.ts): no casts there.
    files: ['agent/src/config/**/*.ts'],
    rules: { '@typescript-eslint/consistent-type-assertions': ['error', { assertionStyle: 'never' }] },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/explicit-module-boundary-types': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
);
