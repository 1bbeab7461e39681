import { defineConfig } from 'vitest/config';

/**
 * The vitest config shared by packages that test against their workspace dependencies' TypeScript
 * sources (the "source" export condition), in the main process and in forked workers alike.
 */
export const sourceConfig = defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 120_000,
    pool: 'forks',
    poolOptions: { forks: { execArgv: ['--conditions=source'] } },
  },
});
