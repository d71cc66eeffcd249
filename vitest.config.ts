import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Two files at a time on a 2-core machine. `npm test` runs test/e2e afterwards one file at a time: each
    // e2e suite starts redis-server, the simulated web, Chromium and OCR, and two of them side by side
    // slowed page renders enough to lose lists.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // A skipped test fails the run (test/no-skip-reporter.ts).
    reporters: ['default', './test/no-skip-reporter.ts'],
  },
});
