import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Training tests and worker pools are CPU-heavy; two cores cannot run many files at once.
    fileParallelism: false,
    testTimeout: 120_000,
  },
});
