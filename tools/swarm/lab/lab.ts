/**
 * @module lab
 * A real multi-node Docker Swarm on one machine: a manager and workers, each a dockerd in its
 * own network namespace (network.ts, engine.ts), joined over veths, with a registry
 * (Debian's docker-registry, distribution 2.8) on the manager's address that the nodes pull
 * from. `npm run test:swarm` deploys the stack on it; `destroyLab()` removes every trace
 * (engines, their containers, mounts, namespaces, veths, folders), also of a crashed run.
 *
 * @example
 * const lab = await createLab({ workers: 2 });
 * await lab.pushImages(['toxicity-monitor/functions:ci']);
 * await destroyLab();
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from '../../lib/wait.ts';
import { startDaemon, stopDaemon } from './daemon.ts';
import { Engine } from './engine.ts';
import { addressOf, createNetwork, LAB_PREFIX, namespaceOf, removeNetwork } from './network.ts';

const run = promisify(execFile);

/** The lab's folder: engines' data, logs, pid files, the registry's storage. */
export const LAB_DIR = `/tmp/${LAB_PREFIX}-lab`;
/** The registry listens on the manager's address. */
export const REGISTRY = `${addressOf(1)}:5000`;

export interface Lab {
  manager: Engine;
  workers: Engine[];
  nodes: Engine[];
  /**
   * Copies images from this machine's engine into the registry: loaded into the manager, then
   * pushed as REGISTRY/NAME. For a Docker Hub name that is also the path the engines' mirror
   * asks for, so `prom/prometheus:v2.53.0` pulls from the lab under its public name.
   */
  pushImages(images: string[]): Promise<void>;
}

async function startRegistry(): Promise<void> {
  const dir = path.join(LAB_DIR, 'registry');
  mkdirSync(dir, { recursive: true });
  const config = path.join(dir, 'config.yml');
  writeFileSync(
    config,
    `version: 0.1\nlog: {level: warn}\nstorage: {filesystem: {rootdirectory: ${path.join(dir, 'data')}}, delete: {enabled: true}}\nhttp: {addr: "${REGISTRY}"}\n`,
  );
  startDaemon({
    namespace: namespaceOf(1),
    hostname: `${LAB_PREFIX}-registry`,
    argv: ['docker-registry', 'serve', config],
    logFile: path.join(dir, 'registry.log'),
    pidFile: path.join(dir, 'lab.pid'),
  });
  await waitFor('the lab registry', () => fetch(`http://${REGISTRY}/v2/`).then((res) => res.ok, () => false), Boolean, 30_000, 200);
}

/**
 * Pipes `docker save` of this machine's engine into `docker load` of another, in one shell
 * pipeline: handing one child's stdout to another from Node leaves neither 'close' event
 * pending on anything, and Node then exits mid-await (status 0, nothing said).
 */
async function copyImages(images: string[], to: Engine): Promise<void> {
  await run('bash', ['-o', 'pipefail', '-c', 'docker save "$@" | DOCKER_HOST="$TO" docker load --quiet >/dev/null', 'copy', ...images], {
    env: { ...process.env, TO: to.socket },
    timeout: 900_000,
  });
}

/** The lab's engines, node 1 the manager: also how a test reaches those createLab started. */
export const labEngines = (count: number): Engine[] =>
  Array.from({ length: count }, (_, i) => new Engine({ node: i + 1, hostname: i === 0 ? `${LAB_PREFIX}-manager` : `${LAB_PREFIX}-worker${i}`, dir: LAB_DIR, registry: REGISTRY }));

export async function createLab(options: { workers: number }): Promise<Lab> {
  await destroyLab();
  mkdirSync(LAB_DIR, { recursive: true });
  const count = options.workers + 1;
  createNetwork(count);
  await startRegistry();
  const nodes = labEngines(count);
  await Promise.all(nodes.map((node) => node.start()));
  const [manager, ...workers] = nodes as [Engine, ...Engine[]];
  // Overlay networks from 198.19.64.0/18: the lab's traffic stays in 198.18.0.0/15.
  await manager.docker('swarm', 'init', `--advertise-addr=${addressOf(1)}`, `--listen-addr=${addressOf(1)}:2377`,
    '--default-addr-pool=198.19.64.0/18', '--default-addr-pool-mask-length=24');
  const token = await manager.docker('swarm', 'join-token', '-q', 'worker');
  await Promise.all(workers.map((worker) => worker.docker('swarm', 'join', `--token=${token}`, `--advertise-addr=${addressOf(worker.node)}`, `${addressOf(1)}:2377`)));

  return {
    manager,
    workers,
    nodes,
    async pushImages(images) {
      await copyImages(images, manager);
      for (const image of images) {
        // For Docker Hub names this is also the mirror's path: prom/prometheus pulls from here.
        await manager.docker('tag', image, `${REGISTRY}/${image}`);
        await manager.docker('push', '--quiet', `${REGISTRY}/${image}`);
      }
    },
  };
}

/** Removes the lab, whatever of it exists: safe after a failure, and before a run. */
export async function destroyLab(): Promise<void> {
  for (let node = 1; node <= 9; node++) await new Engine({ node, hostname: '', dir: LAB_DIR, registry: REGISTRY }).destroy();
  await stopDaemon(path.join(LAB_DIR, 'registry', 'lab.pid'), LAB_DIR);
  // dockerd's overlay and namespace mounts outlive it: unmount the deepest first.
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .filter((mountPoint) => mountPoint.startsWith(`${LAB_DIR}/`))
    .sort((a, b) => b.length - a.length);
  for (const mountPoint of mounts) await run('umount', ['-l', mountPoint]).catch(() => undefined);
  removeNetwork();
  rmSync(LAB_DIR, { recursive: true, force: true });
}
