/**
 * @module function-process
 * Starts a real function replica (functions/src/server.ts, bundled by tools/stack/build.ts) as a child process for tests and
 * scripts, waits until /readyz answers 200, and stops it with SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../lib/repo.ts';
import { waitForOk } from '../lib/wait.ts';
import { buildServer, SERVER_V8_FLAGS } from './build.ts';

export const OFFLINE_MODEL_DIR = path.join(REPO_ROOT, 'model/offline');

export interface FunctionProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** SIGTERM, then wait for exit; returns the exit code. */
  stop(): Promise<number | null>;
}

export interface StartOptions {
  port: number;
  env?: Record<string, string>;
  /** Give up waiting for /readyz after this long. */
  readyTimeoutMs?: number;
  /** Resolve as soon as the process listens (/healthz), not when it is ready. */
  waitFor?: 'ready' | 'listening';
}

/**
 * @example
 * const fn = await startFunction({ port: 18080 });
 * await fetch(`${fn.url}/api/v1/model`);
 * await fn.stop();
 */
export async function startFunction(options: StartOptions): Promise<FunctionProcess> {
  const child = spawn(process.execPath, ['--enable-source-maps', ...SERVER_V8_FLAGS, await buildServer()], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(options.port),
      // The committed stand-in, named explicitly: a test must not depend on what model/weights holds.
      MODEL_DIR: OFFLINE_MODEL_DIR,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  let hasExited = false;
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      hasExited = true;
      resolve(code);
    }),
  );
  const url = `http://127.0.0.1:${options.port}`;
  const probe = options.waitFor === 'listening' ? '/healthz' : '/readyz';
  try {
    await waitForOk(`${url}${probe}`, options.readyTimeoutMs ?? 60_000, () => !hasExited);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n--- output ---\n${output}`);
  }
  return {
    url,
    child,
    output: () => output,
    exited,
    async stop() {
      if (!hasExited) child.kill('SIGTERM');
      return exited;
    },
  };
}
