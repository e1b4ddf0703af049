/**
 * @module compose-cli
 * Runs the project's compose commands for the compose tests (through deploy/compose/compose.sh, so
 * Docker Compose v2 and docker-compose 1.29 both work) and reads container facts from docker.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../tools/lib/repo.ts';

const run = promisify(execFile);

export const COMPOSE_ENV = {
  COMPOSE_PROJECT_NAME: process.env.COMPOSE_PROJECT_NAME ?? 'toxicity-test',
  // Here the Hub is unreachable: bundle the committed offline model into the image instead.
  MODEL_SOURCE: 'local',
  LOCAL_MODEL_DIR: 'model/offline',
  IMAGE_TAG: process.env.IMAGE_TAG ?? 'compose-test',
  // compose.yaml refuses to start without it; Grafana itself is not started here.
  GRAFANA_ADMIN_PASSWORD: process.env.GRAFANA_ADMIN_PASSWORD ?? 'compose-test-not-started',
};

/** The services started here: Grafana, cAdvisor and k6 have no image on this machine. */
export const SERVICES = ['functions', 'proxy', 'prometheus', 'alertmanager', 'node-exporter'];

/** `env`: over COMPOSE_ENV, for a second project beside the main one (another name, ports, files). */
export async function compose(args: string[], timeoutMs = 1_200_000, env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run(path.join(REPO_ROOT, 'deploy/compose/compose.sh'), args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...COMPOSE_ENV, ...env },
    timeout: timeoutMs,
    maxBuffer: 64 << 20,
  });
  return stdout;
}

export async function docker(args: string[]): Promise<string> {
  const { stdout } = await run('docker', args, { maxBuffer: 16 << 20 });
  return stdout.trim();
}

export async function containerIds(service: string, env: Record<string, string> = {}): Promise<string[]> {
  return (await compose(['ps', '-q', service], undefined, env)).split('\n').filter(Boolean);
}
