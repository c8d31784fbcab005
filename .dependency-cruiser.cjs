/** The dependency rule: the domain (shared/) imports no cloud SDK, no HTTP, no SQL, and nothing from functions/. */
module.exports = {
  forbidden: [
    {
      name: 'domain-stays-pure',
      comment: 'shared/ holds the domain and use cases; adapters live in functions/.',
      severity: 'error',
      from: { path: '^shared/src' },
      to: {
        path: [
          '^functions/',
          '@google-cloud',
          'firebase',
          'twilio',
          'express',
          'supertest',
          'node_modules/(undici|axios|got|node-fetch|pg|mysql|sqlite3|better-sqlite3)',
        ],
      },
    },
    {
      name: 'domain-no-node-io',
      comment: 'No HTTP, SQL, file or process access from the domain.',
      severity: 'error',
      from: { path: '^shared/src' },
      to: { dependencyTypes: ['core'], path: '^(node:)?(http|https|http2|net|sqlite|fs|child_process|dgram|tls)$' },
    },
    {
      name: 'domain-only-zod',
      comment:
        'The only packages the domain uses are zod (API schemas) and libphonenumber-js (phone numbers), both pure.',
      severity: 'error',
      from: { path: '^shared/src' },
      to: {
        dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'],
        pathNot: 'node_modules/(zod|libphonenumber-js)/',
      },
    },
    {
      name: 'web-types-only-from-shared',
      comment:
        "The web apps take only types from shared/ (the API client is typed from its schemas): the domain and zod stay out of the bundle. The routes' paths (plain data) are the one module they load.",
      severity: 'error',
      // Tests run in Node: they may take shared/'s data (the vaccine catalogue) rather than copy it.
      from: { path: '^web/', pathNot: '\\.test\\.tsx?$|^web/patient/src/test-support\\.tsx$' },
      to: { path: '^shared/', pathNot: '^shared/src/api/route-paths\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'route-paths-plain-data',
      comment: 'The web apps load route-paths.ts: it imports nothing at run time, so nothing else comes along.',
      severity: 'error',
      from: { path: '^shared/src/api/route-paths\\.ts$' },
      to: { dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'web-not-the-server',
      comment: 'The web apps talk to the server over HTTP only.',
      severity: 'error',
      from: { path: '^web/(patient|centre|shared)/src' },
      to: { path: '^(functions|infra)/' },
    },
    {
      name: 'adapters-are-production-code',
      comment:
        'An adapter implements a port with one technology; it knows nothing of HTTP handlers, runtimes, development tools or demo data.',
      severity: 'error',
      from: { path: '^functions/src/adapters/' },
      to: { path: '^functions/src/(http|runtime|dev|demo)/' },
    },
    {
      name: 'http-knows-no-adapter',
      comment: 'The HTTP layer talks to ports (shared/); which adapter stands behind them is the runtime’s choice.',
      severity: 'error',
      from: { path: '^functions/src/http/' },
      to: { path: '^functions/src/(adapters|runtime|dev|demo)/' },
    },
    {
      name: 'only-runtime-composes',
      comment:
        'Composition roots and hosts live in runtime/; only the entry module (index.ts), the deployment facts infra reads (deployment.ts) and tools that start a runtime reach into it.',
      severity: 'error',
      from: { path: '^functions/src/', pathNot: '^functions/src/(index\\.ts|deployment\\.ts|runtime/)' },
      to: { path: '^functions/src/runtime/' },
    },
    {
      name: 'dev-tools-stay-local',
      comment: 'The development identity provider and pages are never part of the cloud runtime.',
      severity: 'error',
      from: { path: '^functions/src/runtime/cloud/' },
      to: { path: '^functions/src/(dev|demo|runtime/local)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['source', 'import', 'require', 'node', 'default'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
