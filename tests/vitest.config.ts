import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources (the "source" export condition), so the
// tests run against the code as it is, without a build.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**'],
    testTimeout: 300_000,
    pool: 'forks',
    poolOptions: { forks: { execArgv: ['--conditions=source'] } },
    server: { deps: { inline: [/@flint\//] } },
  },
});
