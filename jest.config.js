/** Tests are TypeScript, compiled on the fly by SWC; sources import each other with `.ts` extensions. */
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2024' },
    module: { type: 'commonjs' },
  },
];

export default {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: { '^@ereg/shared$': '<rootDir>/shared/src/index.ts' },
  testMatch: [
    '<rootDir>/{shared,functions,infra}/src/**/*.test.ts',
    '<rootDir>/{shared,functions,infra}/test/**/*.test.ts',
  ],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  watchman: false,
};
