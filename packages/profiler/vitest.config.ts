import { defineConfig } from 'vitest/config';

// Test against @flint/core's source (its "source" export condition), as the CLI's children do;
// the rest are Vite's default server conditions.
const conditions = ['source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 120_000,
    pool: 'forks',
  },
});
