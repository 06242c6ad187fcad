/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
  },
  testTimeout: 30000,
  globalSetup: '<rootDir>/test/support/buildOnce.js',
  reporters: ['default', '<rootDir>/test/support/summaryReporter.js'],
};
