/**
 * @module build
 * Builds what the native stack runs: the function server bundled into one ES module (plain
 * `node` starts it in about half the time and memory of running the TypeScript through tsx),
 * and the page, when it is missing.
 */
import { build as esbuild } from 'esbuild';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../lib/repo.ts';

/**
 * dist/functions/server.mjs sits two folders below the repository root, as
 * functions/src/config.ts does, so the paths it derives from its own location still hold.
 */
export const SERVER_BUNDLE = path.join(REPO_ROOT, 'dist/functions/server.mjs');

/**
 * V8 flags every replica runs with; the image's CMD and `npm start` repeat them and
 * test/stack/server-flags.test.ts keeps them in step. --max-semi-space-size=2 caps V8's young
 * generation at 4 MB instead of 32: V8 grows it under load and shrinks it only when its memory
 * reducer gets round to it (no full collection does), often not within 45 s of quiet in the
 * fuzz runs here, so after a burst a resting replica held up to 30 MB (25%) more. The price:
 * 0.46 instead of 0.28 ms of replica CPU per request outside the model (`npm run bench`), under
 * 1% of what toxic-bert costs per text; the stack's throughput with it did not change.
 */
export const SERVER_V8_FLAGS = ['--max-semi-space-size=2'];

/**
 * Rebuilds the server bundle (about 0.1 s), so a stale bundle can never be tested, and the
 * inference worker's beside it (functions/src/model/inference-thread.ts looks for it there).
 */
export async function buildServer(): Promise<string> {
  await esbuild({
    entryPoints: {
      server: path.join(REPO_ROOT, 'functions/src/server.ts'),
      'inference-worker': path.join(REPO_ROOT, 'functions/src/model/inference-worker.ts'),
    },
    outdir: path.dirname(SERVER_BUNDLE),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
  return SERVER_BUNDLE;
}

export async function ensurePageBuilt(): Promise<string> {
  const dist = path.join(REPO_ROOT, 'static/dist');
  if (!existsSync(path.join(dist, 'index.html'))) {
    const { build } = await import('vite');
    await build({ configFile: path.join(REPO_ROOT, 'static/vite.config.ts'), logLevel: 'warn' });
  }
  return dist;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`built ${path.relative(process.cwd(), await buildServer())}`);
}
