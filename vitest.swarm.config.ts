import { defineConfig } from 'vitest/config';

// `npm run test:swarm`: the stack on a three-node Docker Swarm made on this machine (needs root,
// a Docker engine with the images' bases, and Debian's docker-registry).
export default defineConfig({
  test: {
    include: ['test/swarm/live/**/*.test.ts'],
    globalSetup: ['test/swarm/live/global-setup.ts'],
    testTimeout: 300_000,
    hookTimeout: 1_800_000,
    fileParallelism: false,
  },
});
