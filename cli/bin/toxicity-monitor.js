#!/usr/bin/env node
// The `toxicity-monitor` command (package.json "bin"): runs the TypeScript sources in cli/
// directly, with no build step, so a checkout's command is always its current code. Node 22.6+
// strips the types itself; Node 20 runs them through tsx's loader (a dev dependency, installed
// by `npm ci`). Workers the scorer starts find their own way (functions/src/model/worker-thread.ts).
if (!process.features.typescript) {
  let tsx;
  try {
    tsx = await import('tsx/esm/api');
  } catch {
    process.stderr.write('toxicity-monitor: this Node.js cannot run TypeScript by itself; run "npm ci" in the checkout first (it installs tsx)\n');
    process.exit(1);
  }
  tsx.register();
}
await import('../main.ts');
