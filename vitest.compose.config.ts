import { defineConfig } from 'vitest/config';

// `npm run test:compose`: the same checks against the compose stack (needs a Docker engine).
export default defineConfig({
  test: {
    include: ['test/compose/**/*.test.ts', 'test/e2e/**/*.test.ts'],
    globalSetup: ['test/compose/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 1_500_000,
    fileParallelism: false,
  },
});
