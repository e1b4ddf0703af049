/**
 * @module build
 * Builds what `npm start` and `npm run stack` run: the function server bundled into one ES
 * module (plain `node` starts it in about half the time and memory of running the TypeScript
 * through tsx, and any Node from 20.19 runs it), and the page, when it is missing.
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
 * Rebuilds the server bundle (about 0.1 s), so a stale bundle can never be tested, the
 * inference worker's beside it (functions/src/model/inference-thread.ts looks for it there),
 * and npm start's first step (model/first-run.ts).
 */
export async function buildServer(): Promise<string> {
  await esbuild({
    entryPoints: {
      server: path.join(REPO_ROOT, 'functions/src/server.ts'),
      'inference-worker': path.join(REPO_ROOT, 'functions/src/model/inference-worker.ts'),
      // npm start's offer to fetch the model; beside the server, so it derives the same default MODEL_DIR.
      'first-run': path.join(REPO_ROOT, 'model/first-run.ts'),
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
