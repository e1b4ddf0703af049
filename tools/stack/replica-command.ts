/**
 * @module replica-command
 * The command line that starts a function replica, one of two ways:
 * - `image`: as the function image's CMD (Dockerfile) does, the image's Node major
 *   (./image-node.ts) on the esbuild bundle (./build.ts). The replica's own tests
 *   (functions/test/, through startFunction) start it so: they test what is deployed.
 * - `bundle`: as `npm start` does, the esbuild bundle (./build.ts) on the Node running this
 *   tool. `npm run stack`, the stack tests and the benchmarks start replicas so: no download,
 *   and the README's figures were measured that way. They differ in memory: resting after a
 *   burst, a replica held 141 MB on Node 20's bundle, 182 MB on Node 24's, 210 MB on Node 24
 *   from the sources (type stripping), and the fuzz test's 10% bound on memory coming back,
 *   set on Node 20's bundle, did not hold on Node 24 from the sources (+21% once here); it
 *   has not been measured again since the image runs Node 24's bundle.
 */
import path from 'node:path';
import { REPO_ROOT } from '../lib/repo.ts';
import { buildServer, SERVER_BUNDLE } from './build.ts';
import { imageNode } from './image-node.ts';

/**
 * V8 flags every replica runs with; the image's CMD and `npm start` repeat them and
 * test/stack/server-flags.test.ts keeps them in step.
 * --expose-gc: the idle collector (functions/src/memory/idle-gc.ts) calls V8's gc(); the
 * replica refuses to start without it while IDLE_GC_MS is on.
 * --max-semi-space-size=2 caps V8's young generation at 4 MB instead of 32: V8 grows it under
 * load and shrinks it only when its memory reducer gets round to it (no full collection does),
 * often not within 45 s of quiet in the fuzz runs here, so after a burst a resting replica held
 * up to 30 MB (25%) more. The price: 0.46 instead of 0.28 ms of replica CPU per request outside
 * the model (`npm run bench`), under 1% of what toxic-bert costs per text; the stack's
 * throughput with it did not change.
 */
export const SERVER_V8_FLAGS: readonly string[] = ['--expose-gc', '--max-semi-space-size=2'];

/** The server's entry point, the bundle, from the repository root, as the image's CMD names it. */
export const SERVER_ENTRY = path.relative(REPO_ROOT, SERVER_BUNDLE);

export type ReplicaRuntime = 'image' | 'bundle';

export interface ReplicaCommand {
  command: string;
  args: string[];
}

/**
 * Run with the repository root as the working directory.
 * @example
 * const { command, args } = await replicaCommand('image');
 * spawn(command, args, { cwd: REPO_ROOT, env: { ...process.env, PORT: '3001' } });
 */
export async function replicaCommand(runtime: ReplicaRuntime, v8Flags: readonly string[] = SERVER_V8_FLAGS): Promise<ReplicaCommand> {
  await buildServer();
  if (runtime === 'image') return { command: imageNode(), args: [...v8Flags, SERVER_ENTRY] };
  return { command: process.execPath, args: ['--enable-source-maps', ...v8Flags, SERVER_ENTRY] };
}
