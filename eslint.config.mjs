import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The restify Server methods that register a route. */
const ROUTE_METHODS = '/^(get|post|put|patch|del|head|opts)$/';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // restify 11 logs, with the whole object, any value an async route handler resolves to
    // (`return res.send(…)` resolves to the response): handlers answer through `res` and return nothing.
    files: ['bot/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: `CallExpression[callee.property.name=${ROUTE_METHODS}] > ArrowFunctionExpression[async=true][expression=true]`,
          message: 'A route handler returns nothing: put its body in braces.',
        },
        {
          // Returns in functions nested inside a handler (callbacks) are theirs, not the handler's.
          selector: `CallExpression[callee.property.name=${ROUTE_METHODS}] > :function ReturnStatement[argument]:not([argument.operator="void"]):not(CallExpression[callee.property.name=${ROUTE_METHODS}] > :function :function ReturnStatement)`,
          message: 'A route handler returns nothing (restify logs whatever it resolves to): answer through res, then `return;`.',
        },
      ],
    },
  },
  {
    files: ['bot/channels/webchat/public/**/*.js', 'bot/handoff/console/**/*.js', 'bot/ui/public/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { window: 'readonly', document: 'readonly', fetch: 'readonly', JSON: 'readonly', localStorage: 'readonly', navigator: 'readonly', EventSource: 'readonly' } },
  },
  {
    // bot/ui/public/userText.js, loaded first: how the staff pages show what a user typed.
    files: ['bot/handoff/console/**/*.js'],
    languageOptions: { globals: { kefuUserLine: 'readonly' } },
  },
  {
    // ES modules of the knowledge desk (Preact + htm), and the test page that hosts its Insights view
    // (deskText.js is a classic script, but nothing in it differs between the two).
    files: ['bot/desk/public/**/*.js', 'test/e2e/insightsView/*.js'],
    languageOptions: { sourceType: 'module', globals: { window: 'readonly', document: 'readonly', fetch: 'readonly', globalThis: 'readonly' } },
  },
  {
    files: ['test/support/*.js', 'jest.config.js'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', __dirname: 'readonly', process: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
