/**
 * @module network
 * The lab's network: one Linux bridge in this machine's namespace and, per node, a network
 * namespace joined to it by a veth pair. Every address is in 198.18.0.0/15, the range kept for
 * network benchmarks, so no lab traffic can reach anything real. Needs root (iproute2).
 *
 * @example
 * createNetwork(3); // tm-swarm-n1..n3 at 198.18.0.1..3, this machine at 198.18.0.254
 */
import { execFileSync } from 'node:child_process';

/** Every name the lab gives to an interface, namespace or cgroup starts with this. */
export const LAB_PREFIX = 'tm-swarm';
const BRIDGE = `${LAB_PREFIX}-br`;
/** This machine's address on the lab bridge: tests reach the nodes from here. */
export const HOST_ADDRESS = '198.18.0.254';

export const namespaceOf = (node: number) => `${LAB_PREFIX}-n${node}`;
export const addressOf = (node: number) => `198.18.0.${node}`;
const vethOf = (node: number) => `${LAB_PREFIX}-v${node}`;

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
const quietly = (...args: string[]) => {
  try {
    ip(...args);
  } catch {
    // Already gone: teardown runs after failures too, and before a run to clear a crashed one.
  }
};

export function createNetwork(nodes: number): void {
  ip('link', 'add', BRIDGE, 'type', 'bridge');
  ip('addr', 'add', `${HOST_ADDRESS}/24`, 'dev', BRIDGE);
  ip('link', 'set', BRIDGE, 'up');
  for (let node = 1; node <= nodes; node++) {
    const ns = namespaceOf(node);
    ip('netns', 'add', ns);
    ip('link', 'add', vethOf(node), 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
    ip('link', 'set', vethOf(node), 'master', BRIDGE, 'up');
    ip('-n', ns, 'addr', 'add', `${addressOf(node)}/24`, 'dev', 'eth0');
    ip('-n', ns, 'link', 'set', 'eth0', 'up');
    ip('-n', ns, 'link', 'set', 'lo', 'up');
    // Replies to this machine, and nothing beyond: the bridge's side is the only route out.
    ip('-n', ns, 'route', 'add', 'default', 'via', HOST_ADDRESS);
  }
}

/** Removes the lab's namespaces, veths and bridge, whatever of them exists. */
export function removeNetwork(): void {
  const namespaces = ip('netns', 'list')
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name.startsWith(`${LAB_PREFIX}-n`));
  for (const ns of namespaces) quietly('netns', 'del', ns);
  const links = ip('-o', 'link', 'show')
    .split('\n')
    .map((line) => /^\d+: ([^:@]+)/.exec(line)?.[1] ?? '')
    .filter((name) => name.startsWith(`${LAB_PREFIX}-`));
  for (const link of links) quietly('link', 'del', link);
}
