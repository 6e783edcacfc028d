/** @type {import('jest').Config} */
module.exports = {
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript', decorators: true } } }],
  },
  // hyparquet and its companions, and @middy/core, ship ES modules only; let @swc/jest compile them to CommonJS for the test runtime.
  transformIgnorePatterns: ['/node_modules/(?!(hyparquet|hyparquet-compressors|hyparquet-writer|hysnappy|@middy/core)/)'],
  // dist/ (npm run build) holds a copy of serving/package.json and compiled tests' sources.
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  testEnvironment: 'node',
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  setupFilesAfterEnv: ['<rootDir>/test/support/fast-check-runs.ts'],
  // CDK synth with every policy gate on is CPU heavy; this machine has 2 cores.
  maxWorkers: 2,
  testTimeout: 120000,
};
