import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['cli/**/*.test.ts', 'functions/**/*.test.ts', 'model/**/*.test.ts', 'tools/**/*.test.ts', 'static/**/*.test.ts', 'static/**/*.test.tsx', 'test/**/*.test.ts'],
    // The compose tests need a Docker engine: `npm run test:compose` (vitest.compose.config.ts);
    // the live swarm run, several: `npm run test:swarm` (vitest.swarm.config.ts).
    exclude: ['test/compose/**', 'test/swarm/live/**', '**/node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Integration tests start real processes on fixed ports; one file at a time keeps them apart.
    fileParallelism: false,
  },
});
