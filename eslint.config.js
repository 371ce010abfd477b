import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', Buffer: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', fetch: 'readonly', performance: 'readonly', setImmediate: 'readonly', structuredClone: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', queueMicrotask: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    // The dashboard runs in the browser.
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly', localStorage: 'readonly', EventSource: 'readonly', HTMLElement: 'readonly', MessageEvent: 'readonly', URLSearchParams: 'readonly', navigator: 'readonly', getComputedStyle: 'readonly', requestAnimationFrame: 'readonly', ResizeObserver: 'readonly', confirm: 'readonly' } },
    rules: {
      // The dashboard takes its response types from the server's schemas (src/server/responses/), never
      // code: `import type` only, so nothing of the server is bundled for the browser.
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: ['**/src/**'], allowTypeImports: true, message: 'the dashboard imports only types from the server (import type)' }] }],
    },
  },
  {
    // Core modules never reach into the process adapters: routes and commands depend on the core, not back.
    files: ['src/**/*.ts'],
    ignores: ['src/server/**', 'src/cli/**', 'src/runtime/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/server/*', '**/cli/*', '**/runtime/*'], message: 'core modules never import server/, cli/ or runtime/' }] }],
    },
  },
  {
    // The incident core owns its table: others call its named functions (src/incidents/table.ts). The
    // command center's and the report's aggregate query modules, and the migrations, are the exceptions.
    files: ['src/**/*.ts'],
    ignores: ['src/incidents/**', 'src/store/migrations/**', 'src/diagnose/command-center/**', 'src/report/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name=/^(selectFrom|updateTable|insertInto|deleteFrom|mergeInto|innerJoin|leftJoin|rightJoin|fullJoin)$/] > Literal.arguments[value=/^incidents(\\s+as\\s+\\w+)?$/]",
          message: 'the incidents table is read and written through the named functions of src/incidents/ (table.ts)',
        },
      ],
    },
  },
);
