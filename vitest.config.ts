import { defineConfig } from 'vitest/config';

/**
 * Three projects, one run: `npm test` runs them all; `npm run test:unit` runs the domain's unit
 * tests alone, in seconds and without Java (only the servers project starts DynamoDB Local).
 */
export default defineConfig({
  test: {
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default on a 2-core machine is one file at a time; the servers files wait mostly on
    // DynamoDB Local, SES and timers, so three at once finish the suite in about half the time.
    maxWorkers: 3,
    // A previous release's bundles (infra/local/previous-release.ts) are imported natively, as Lambda imports them, not through Vite.
    server: { deps: { external: [/\/second-user-system-releases\//] } },
    projects: [
      // The unit files share no state but the modules they import: one module graph per worker
      // halves the project's time (14 s to 8 s), which npm test pays again on seven other days.
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], isolate: false } },
      { extends: true, test: { name: 'infra', include: ['test/infra/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'servers',
          include: ['test/integration/**/*.test.ts', 'test/workflow/**/*.test.ts', 'test/browser/**/*.test.ts'],
          // One DynamoDB Local and one SES server for these files; each file gets its own table.
          globalSetup: ['test/support/global-setup.ts'],
          // Records each file's AWS calls, which the global teardown holds against the stacks' policies.
          setupFiles: ['test/support/record-aws-calls.ts'],
        },
      },
    ],
  },
});
