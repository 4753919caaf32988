// `npm test` runs the suite twice: on the embedded PGlite and on the PostgreSQL server
// (DATABASE_URL_TEST, default postgres://postgres@127.0.0.1:5432/test; each test file gets a
// database of its own). Tests that do not touch the database run once, in the "unit" project.
import { defineConfig } from 'vitest/config';

const dbTests = ['test/db/**/*.test.ts'];
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'pglite', include: dbTests, env: { TEST_DB: 'pglite' } } },
      { extends: true, test: { name: 'postgres', include: dbTests, env: { TEST_DB: 'postgres' } } },
      { extends: true, test: { name: 'browser', include: ['test/browser/**/*.test.ts'], env: { TEST_DB: 'pglite' }, testTimeout: 180_000 } },
    ],
  },
});
