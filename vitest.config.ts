import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration suites start real local servers; keep the machine's two cores from thrashing.
    maxWorkers: 2,
    // Fails the run under CI when ../shared/corpus is missing; elsewhere says loudly what it skipped.
    globalSetup: ['test/support/corpus-check.ts'],
    tags: [{ name: 'corpus', description: 'needs the real-world corpus in ../shared/corpus (test/support/corpus.ts)' }],
    env: { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', POWERTOOLS_DEV: 'false' },
  },
});
