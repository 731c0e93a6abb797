/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: [
    "<rootDir>/sdk",
    "<rootDir>/provider",
    "<rootDir>/gitops",
    "<rootDir>/policy",
    "<rootDir>/emulator",
    "<rootDir>/harness",
    "<rootDir>/tests",
  ],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { diagnostics: false }],
  },
  modulePathIgnorePatterns: ["<rootDir>/dist/", "<rootDir>/examples/.*/node_modules/"],
  testTimeout: 60000,
};
