/**
 * The import rules of Postroom (STYLE.md habit 12), checked by `npm test`
 * (test/unit/ci/dependency-rules.test.ts) and by `npm run check:deps`:
 * no cycles, and no import against the layers. Type-only imports count: a cycle of types is still
 * a cycle of modules that must change together.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules that import each other cannot be understood, tested or moved one at a time.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-imports-only-core',
      severity: 'error',
      comment:
        'lambdas/core is the domain without I/O (habit 3): it imports core, the deployment contract, ' +
        "and pure libraries only (node:crypto for hashes, re2js for linear-time patterns, node:url for " +
        'domainToASCII: IDN to punycode (UTS #46) is a pure function, and core normalizes addresses before routing).',
      from: { path: '^lambdas/core/' },
      to: { pathNot: ['^lambdas/core/', '^contract/', '^(node:)?crypto$', '^(node:)?url$', '^node_modules/re2js/'] },
    },
    {
      name: 'contract-is-a-leaf',
      severity: 'error',
      comment:
        'contract/ is what the CDK app and the Lambdas agree on (env names, table keys, prefixes, setting ' +
        'bounds): pure constants and checks that import nothing outside contract/.',
      from: { path: '^contract/' },
      to: { pathNot: ['^contract/'] },
    },
    {
      name: 'lib-not-to-lambdas',
      severity: 'error',
      comment:
        'The CDK app names Lambda code only by its entry path (handlerEntry builds a path string, no import); ' +
        'what both sides share lives in contract/.',
      from: { path: ['^lib/', '^bin/app\.ts$'] },
      to: { path: '^lambdas/' },
    },
    {
      name: 'adapters-not-to-entry-points',
      severity: 'error',
      comment: 'Adapters serve handlers, the local runtime and the CLI; they never import them.',
      from: { path: '^lambdas/adapters/' },
      to: { path: '^lambdas/(handlers|local|cli)/' },
    },
    {
      name: 'handlers-not-to-local-or-cli',
      severity: 'error',
      comment: 'A Lambda bundle never pulls in the local runtime or the CLI.',
      from: { path: '^lambdas/handlers/' },
      to: { path: '^lambdas/(local|cli)/' },
    },
    {
      name: 'cli-not-to-local-or-handlers',
      severity: 'error',
      comment: 'The CLI talks to the API; `postroom dev` starts the local runtime through a lazy import only.',
      from: { path: '^lambdas/cli/' },
      to: { path: '^lambdas/handlers/' },
    },
    {
      name: 'production-not-to-tests',
      severity: 'error',
      comment: 'Test doubles and fixtures stay in test/.',
      from: { path: '^(lambdas|lib|bin|contract)/' },
      to: { path: '^test/' },
    },
    {
      name: 'console-features-independent',
      severity: 'error',
      comment:
        'A console feature (console/src/features/<f>) never imports another: what two features share ' +
        'moves to components/ui or lib (bulletproof-react), so a page family can change or go alone.',
      from: { path: '^console/src/features/([^/]+)/' },
      to: { path: '^console/src/features/', pathNot: '^console/src/features/$1/' },
    },
    {
      name: 'console-shared-not-to-features',
      severity: 'error',
      comment: 'Shared console code (lib, components, testing) serves the features and the app; it never imports them.',
      from: { path: '^console/src/(lib|components|testing)/' },
      to: { path: '^console/src/(features|app)/' },
    },
    {
      name: 'console-only-contract',
      severity: 'error',
      comment: 'The browser bundle shares only contract/ with the server side; lambdas, lib and tests never end up in it.',
      from: { path: '^console/' },
      to: { path: '^(lambdas|lib|bin|test|scripts)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing is a broken build waiting for a bundle.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.tsx', '.mts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
    exclude: { path: ['^node_modules', '^dist/', '^cdk\\.out', '^\\.postroom'] },
  },
};
