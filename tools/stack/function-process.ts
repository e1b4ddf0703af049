/**
 * @module function-process
 * Starts a real function replica as a child process for tests and scripts, by default as the
 * image runs it (tools/stack/replica-command.ts), waits until /readyz answers 200, and stops it
 * with SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../lib/repo.ts';
import { waitForOk } from '../lib/wait.ts';
import { replicaCommand, type ReplicaRuntime } from './replica-command.ts';

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
  /** `image` (default): the image's Node on the sources; `bundle`: as `npm start` runs it. */
  runtime?: ReplicaRuntime;
  /** V8 flags instead of SERVER_V8_FLAGS (for tests of what a missing flag does). */
  v8Flags?: readonly string[];
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
  const { command, args } = await replicaCommand(options.runtime ?? 'image', options.v8Flags);
  const child = spawn(command, args, {
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
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      exitCode = code;
      resolve(code);
    }),
  );
  const url = `http://127.0.0.1:${options.port}`;
  const probe = options.waitFor === 'listening' ? '/healthz' : '/readyz';
  try {
    await waitForOk(`${url}${probe}`, options.readyTimeoutMs ?? 60_000, () => exitCode === undefined);
  } catch (error) {
    child.kill('SIGKILL');
    const code = exitCode === undefined ? '' : ` (exit code ${exitCode})`;
    throw new Error(`${(error as Error).message}${code}\n--- output ---\n${output}`);
  }
  return {
    url,
    child,
    output: () => output,
    exited,
    async stop() {
      if (exitCode === undefined) child.kill('SIGTERM');
      return exited;
    },
  };
}
