/** jest 30 + ts-jest in ESM mode (see DESIGN.md, toolchain facts). */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }]
  },
  testTimeout: 30000,
  // Used when the release gate runs the suite with --coverage (see .github/release-gates.yml).
  collectCoverageFrom: ['src/**/*.ts'],
  coverageReporters: ['json-summary', 'lcov', 'text-summary']
}
