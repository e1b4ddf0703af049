/**
 * Builds the images as the compose tests do (offline model bundled), makes the three-node swarm
 * lab (tools/swarm/lab/), pushes the images to its registry and deploys the stack; afterwards
 * removes the lab, also when a test failed (KEEP_SWARM=1 keeps it for a look).
 */
import { ensurePrograms } from '../../../tools/lib/system-packages.ts';
import { compose, COMPOSE_ENV } from '../../compose/compose-cli.ts';
import { createLab, destroyLab, labEngines } from '../../../tools/swarm/lab/lab.ts';
import { deployStack, describeStack } from './swarm-stack.ts';

export const IMAGES = [
  `toxicity-monitor/functions:${COMPOSE_ENV.IMAGE_TAG}`,
  `toxicity-monitor/proxy:${COMPOSE_ENV.IMAGE_TAG}`,
  'prom/prometheus:v2.53.0',
  'prom/alertmanager:v0.27.0',
  'prom/node-exporter:v1.8.2',
];

export default async function setup(): Promise<() => Promise<void>> {
  ensurePrograms(['docker-registry']);
  const began = Date.now();
  const seconds = () => `${((Date.now() - began) / 1000).toFixed(0)} s`;
  console.log('[swarm] building the images (offline model bundled)…');
  await compose(['build', 'functions', 'proxy']);
  try {
    const lab = await createLab({ workers: 2 });
    console.log(`[swarm] lab up: ${lab.nodes.map((n) => n.hostname).join(', ')} (${seconds()})`);
    await lab.pushImages(IMAGES);
    console.log(`[swarm] images in the lab registry (${seconds()})`);
    await deployStack(lab.manager, COMPOSE_ENV.IMAGE_TAG);
    console.log(`[swarm] stack deployed and converged (${seconds()})`);
  } catch (error) {
    console.log(await describeStack(labEngines(3)[0]!).catch((e: Error) => `[swarm] no account of the stack: ${e.message}`));
    if (process.env.KEEP_SWARM !== '1') await destroyLab();
    throw error;
  }
  return async () => {
    if (process.env.KEEP_SWARM === '1') return;
    await destroyLab();
    console.log('[swarm] lab removed');
  };
}
