/**
 * @module swarm-stack
 * The project's stack on the swarm lab (tools/swarm/lab/): deploying deploy/swarm/stack.yaml,
 * and reading what Swarm, the edge and Prometheus say about it.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { REPO_ROOT } from '../../../tools/lib/repo.ts';
import { waitFor } from '../../../tools/lib/wait.ts';
import type { Engine } from '../../../tools/swarm/lab/engine.ts';
import { LAB_DIR, REGISTRY } from '../../../tools/swarm/lab/lab.ts';
import { addressOf } from '../../../tools/swarm/lab/network.ts';
import { STACK_FILE } from '../../../tools/swarm/generate.ts';

export const STACK = 'toxicity';
/** The edge on the manager node (host-mode port 8080). */
export const EDGE = `http://${addressOf(1)}:8080`;
export const IMAGE_PREFIX = `${REGISTRY}/toxicity-monitor`;
/** Grafana and cAdvisor have no image on this machine (as in the compose tests). */
const NOT_HERE = ['grafana', 'cadvisor'];


export const deployEnv = (tag: string) => ({
  IMAGE_PREFIX,
  IMAGE_TAG: tag,
  STACK_NAME: STACK,
  // The tests send everything from one address: the per-client limit would refuse most of it.
  RATE_LIMIT: '10000r/s',
  RATE_BURST: '10000',
});

/** deploy/swarm/stack.yaml without the services that have no image here, config paths absolute. */
function stackFileForLab(): string {
  const stack = parse(readFileSync(STACK_FILE, 'utf8')) as {
    services: Record<string, unknown>;
    configs: Record<string, { file: string }>;
    secrets?: unknown;
  };
  for (const name of NOT_HERE) delete stack.services[name];
  delete stack.secrets;
  for (const config of Object.values(stack.configs)) config.file = path.resolve(path.dirname(STACK_FILE), config.file);
  const file = path.join(LAB_DIR, 'stack.yaml');
  writeFileSync(file, stringify(stack));
  return file;
}

export async function deployStack(manager: Engine, tag: string): Promise<void> {
  await new Promise<void>((resolve, reject) =>
    execFile('docker', ['stack', 'deploy', '--detach=true', '-c', stackFileForLab(), STACK], { cwd: REPO_ROOT, env: { ...manager.env, ...deployEnv(tag) } }, (error, _out, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(),
    ),
  );
  await waitFor(
    'every service of the stack running',
    async () => (await manager.docker('service', 'ls', '--format', '{{.Name}} {{.Replicas}}')).split('\n'),
    (lines) => lines.length >= 5 && lines.every((line) => /^\S+ (\d+)\/\1\b/.test(line)),
    600_000,
    1000,
  );
  await waitFor('the edge answering', () => fetch(`${EDGE}/api/v1/model`).then((res) => res.status, () => 0), (status) => status === 200, 120_000, 500);
}

/** What Swarm says of each service's tasks (with their errors) and the edge's last log lines: printed when the deploy fails. */
export async function describeStack(manager: Engine): Promise<string> {
  const services = (await manager.docker('stack', 'services', '--format', '{{.Name}}', STACK)).split('\n').filter(Boolean);
  const parts = [await manager.docker('stack', 'services', STACK)];
  for (const service of services) parts.push(await manager.docker('service', 'ps', '--no-trunc', '--format', '{{.Name}} {{.Node}} {{.CurrentState}} {{.Error}}', service));
  parts.push(await manager.docker('service', 'logs', '--tail', '20', `${STACK}_proxy`).catch((e: Error) => e.message));
  return `[swarm] the stack now:\n${parts.join('\n')}`;
}

export interface Task {
  id: string;
  node: string;
  state: string;
  image: string;
  address: string;
}

/** The tasks of a service that Swarm wants running, with their node's hostname and overlay address. */
export async function runningTasks(manager: Engine, service: string): Promise<Task[]> {
  const ids = (await manager.docker('service', 'ps', '-q', '--filter', 'desired-state=running', `${STACK}_${service}`)).split('\n').filter(Boolean);
  if (ids.length === 0) return [];
  const hostnames = new Map(
    (await manager.docker('node', 'ls', '--format', '{{.ID}} {{.Hostname}}')).split('\n').map((line) => line.split(' ') as [string, string]),
  );
  const tasks = JSON.parse(await manager.docker('inspect', ...ids)) as {
    ID: string;
    NodeID: string;
    Status: { State: string };
    Spec: { ContainerSpec: { Image: string } };
    NetworksAttachments?: { Network: { Spec: { Name: string } }; Addresses: string[] }[];
  }[];
  return tasks.map((task) => ({
    id: task.ID,
    node: hostnames.get(task.NodeID) ?? task.NodeID,
    state: task.Status.State,
    image: task.Spec.ContainerSpec.Image,
    address: task.NetworksAttachments?.find((n) => n.Network.Spec.Name === `${STACK}_internal`)?.Addresses[0]?.split('/')[0] ?? '',
  }));
}

/** The container of `service` on `node` (the edge or Prometheus on the manager). */
export async function containerOf(node: Engine, service: string): Promise<string> {
  const id = (await node.docker('ps', '-q', '--filter', `label=com.docker.swarm.service.name=${STACK}_${service}`)).split('\n')[0];
  if (!id) throw new Error(`no ${service} container on ${node.hostname}`);
  return id;
}

/** The replica addresses the edge on `node` has in its upstream now. */
export async function edgeUpstream(node: Engine): Promise<string[]> {
  const servers = await node.docker('exec', await containerOf(node, 'proxy'), 'cat', '/tmp/upstream/servers.conf');
  return [...servers.matchAll(/^server ([\d.]+):/gm)].map((m) => m[1]!).sort();
}

/** One API request in the edge's JSON access log (proxy/templates/default.conf.template). */
export interface EdgeLogEntry {
  time: string;
  status: number;
  upstream_addr: string;
  upstream_status: string;
  request_time: number;
}

/** The API requests the edge on `node` logged since `since` (ISO time). */
export async function edgeLog(node: Engine, since: string): Promise<EdgeLogEntry[]> {
  const logs = await node.docker('logs', '--since', since, await containerOf(node, 'proxy'));
  return logs
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes('/api/'))
    .map((line) => JSON.parse(line) as EdgeLogEntry);
}

/** The upstream addresses that answered API requests at the edge on `node` since `since` (ISO time). */
export async function servedBy(node: Engine, since: string): Promise<string[]> {
  const addresses = (await edgeLog(node, since))
    .flatMap((entry) => String(entry.upstream_addr).split(/[\s,:]+/))
    .filter((part) => /^\d+\.\d+\.\d+\.\d+$/.test(part));
  return [...new Set(addresses)].sort();
}

/** An instant query against the stack's Prometheus, through `docker exec` (it is not published). */
export async function prometheusQuery(manager: Engine, expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const url = `http://127.0.0.1:9090/api/v1/query?query=${encodeURIComponent(expr)}`;
  const body = JSON.parse(await manager.docker('exec', await containerOf(manager, 'prometheus'), 'wget', '-q', '-O', '-', url)) as {
    data: { result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  return body.data.result;
}
