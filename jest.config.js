/** Tests are TypeScript, compiled on the fly by SWC; sources import each other with `.ts` extensions. */
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2024' },
    module: { type: 'commonjs' },
  },
];

/** The web apps' components: TSX with React's automatic runtime. */
const swcTsx = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx: true },
      target: 'es2024',
      transform: { react: { runtime: 'automatic' } },
    },
    module: { type: 'commonjs' },
  },
];

/** jose ships only ES modules; Jest loads CommonJS, so its files are compiled like the sources. */
const swcJs = ['@swc/jest', { jsc: { target: 'es2024' }, module: { type: 'commonjs' } }];

const common = {
  transform: { '^.+\\.ts$': swc, '^.+\\.tsx$': swcTsx, '/node_modules/jose/.+\\.js$': swcJs },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleNameMapper: {
    '^@ereg/shared$': '<rootDir>/shared/src/index.ts',
    '^@ereg/shared/route-paths$': '<rootDir>/shared/src/api/route-paths.ts',
    '^@ereg/functions/deployment$': '<rootDir>/functions/src/deployment.ts',
    '^@ereg/shared/testing$': '<rootDir>/shared/src/testing/index.ts',
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

export default {
  watchman: false,
  projects: [
    {
      ...common,
      displayName: 'node',
      testEnvironment: 'node',
      testMatch: [
        '<rootDir>/{shared,functions,infra}/src/**/*.test.ts',
        '<rootDir>/{shared,functions,infra}/test/**/*.test.ts',
        // The browser tests drive Chromium from Node.
        '<rootDir>/web/test/**/*.test.ts',
      ],
    },
    {
      ...common,
      displayName: 'web',
      // The web apps run in a browser: a DOM (jsdom) for their components; a test that needs Node says so.
      testEnvironment: 'jsdom',
      testMatch: ['<rootDir>/web/{shared,patient,centre,agent,reports,admin}/src/**/*.test.{ts,tsx}'],
    },
  ],
};
