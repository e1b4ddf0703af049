/**
 * @module stack-file
 * Turns the project's compose.yaml into a Docker Swarm stack file, so Swarm runs the same
 * services, images, limits, health checks and configuration files as compose, and nothing is
 * kept twice by hand. The conversion is mechanical (what Swarm cannot take, or takes
 * differently); what only Swarm needs (replicas spread over nodes, update and rollback policy,
 * global services, secrets) is deploy/swarm/swarm.patch.yaml, merged in last.
 *
 * What changes, and why:
 * - `docker stack deploy` ignores `build`, `restart`, `depends_on`, `security_opt`, `pid`,
 *   `privileged` and `devices` (and rejects compose's long `depends_on`): dropped; `restart`
 *   becomes `deploy.restart_policy`.
 * - Services behind a profile (k6) are one-off runs, not services: dropped.
 * - Every service uses `endpoint_mode: dnsrr`: the service name answers one A record per task,
 *   which nginx (proxy/30-upstream-watch.sh) and Prometheus (dns_sd) follow themselves. Swarm's
 *   virtual IPs need IPVS in the kernel, which not every host has.
 * - Published ports use `mode: host` (dnsrr allows no routing mesh). A port compose binds to
 *   127.0.0.1 (Prometheus, Alertmanager: no authentication) is not published at all, since
 *   Swarm cannot bind one address.
 * - Files and folders compose bind-mounts from the repository become Swarm configs (a bind
 *   mount would need the same files at the same path on every node). A config's key carries a
 *   hash of its content: Swarm configs cannot change, so a new content is a new config.
 * - The network is an overlay network spanning the nodes.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Json } from './merge-patch.ts';

type JsonMap = { [key: string]: Json };

/** Keys `docker stack deploy` ignores or refuses, which the conversion drops. */
const UNSUPPORTED = ['build', 'restart', 'depends_on', 'security_opt', 'pid', 'privileged', 'devices', 'container_name', 'tmpfs'];

export interface ConvertOptions {
  /** Folder compose.yaml's relative paths start from (the repository root). */
  composeDir: string;
  /** Folder the stack file is written to: its config `file:` paths are relative to it. */
  stackDir: string;
}

const asMap = (value: Json | undefined): JsonMap => (typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {});

/** Splits a short port or volume spec on colons that are not inside `${...}`. */
export function splitSpec(spec: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < spec.length; i++) {
    const char = spec[i]!;
    if (char === '$' && spec[i + 1] === '{') depth++;
    else if (char === '}' && depth > 0) depth--;
    if (char === ':' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}

/** A short port spec as Swarm's long syntax in host mode; undefined for ports bound to one address. */
export function hostModePort(spec: string): JsonMap | undefined {
  const parts = splitSpec(spec);
  if (parts.length === 3) return undefined;
  if (parts.length !== 2) throw new Error(`port "${spec}": expected PUBLISHED:TARGET or ADDRESS:PUBLISHED:TARGET`);
  const [published, target] = parts as [string, string];
  const number = (text: string) => (/^\d+$/.test(text) ? Number(text) : text);
  return { target: number(target), published: number(published), protocol: 'tcp', mode: 'host' };
}

/** Every file under `dir` (or `dir` itself when it is a file), relative to it, sorted. */
function filesUnder(dir: string): string[] {
  if (!statSync(dir).isDirectory()) return [''];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

/**
 * A config's key: the file's folder and name, then a hash of its content. Short, since Swarm
 * prefixes the stack's name and refuses names over 64 characters.
 */
const configKey = (relative: string, content: Buffer) =>
  `${relative.split(path.sep).slice(-2).join('_').replace(/[^A-Za-z0-9]+/g, '_')}_${createHash('sha256').update(content).digest('hex').slice(0, 8)}`;

interface Mounts {
  volumes: Json[];
  configs: JsonMap[];
}

/** Splits a service's volumes into those that stay and the repository files that become configs. */
function convertVolumes(volumes: Json[], options: ConvertOptions, configs: JsonMap): Mounts {
  const kept: Json[] = [];
  const mounted: JsonMap[] = [];
  for (const volume of volumes) {
    const [source = '', target = ''] = typeof volume === 'string' ? splitSpec(volume) : [];
    if (!source.startsWith('./')) {
      kept.push(volume);
      continue;
    }
    const from = path.join(options.composeDir, source);
    for (const file of filesUnder(from)) {
      const absolute = path.join(from, file);
      const relative = path.relative(options.composeDir, absolute);
      const key = configKey(relative, readFileSync(absolute));
      configs[key] = { file: path.relative(options.stackDir, absolute) };
      mounted.push({ source: key, target: file ? path.posix.join(target, file.split(path.sep).join('/')) : target });
    }
  }
  return { volumes: kept, configs: mounted };
}

/**
 * `docker stack deploy` ignores a service's `tmpfs:` (a read-only nginx then cannot write its
 * config to /tmp and exits): each path becomes a volume of type tmpfs, which Swarm mounts.
 */
export function tmpfsVolumes(tmpfs: Json): JsonMap[] {
  return (Array.isArray(tmpfs) ? tmpfs : [tmpfs]).map((entry) => {
    const [target = '', options] = String(entry).split(':');
    if (options !== undefined) throw new Error(`tmpfs ${String(entry)}: options are not converted to a Swarm mount`);
    return { type: 'tmpfs', target };
  });
}

function convertService(service: JsonMap, options: ConvertOptions, configs: JsonMap): JsonMap {
  const converted: JsonMap = { ...service };
  for (const key of UNSUPPORTED) delete converted[key];
  const deploy: JsonMap = { ...asMap(service.deploy), endpoint_mode: 'dnsrr' };
  if (service.restart !== undefined && service.restart !== 'no') deploy.restart_policy = { condition: 'any' };
  converted.deploy = deploy;
  if (Array.isArray(service.ports)) {
    const ports = service.ports.map((spec) => hostModePort(String(spec))).filter((port) => port !== undefined);
    if (ports.length > 0) converted.ports = ports;
    else delete converted.ports;
  }
  if (Array.isArray(service.volumes)) {
    const mounts = convertVolumes(service.volumes, options, configs);
    if (mounts.volumes.length > 0) converted.volumes = mounts.volumes;
    else delete converted.volumes;
    if (mounts.configs.length > 0) converted.configs = mounts.configs;
  }
  if (service.tmpfs !== undefined) converted.volumes = [...((converted.volumes as Json[] | undefined) ?? []), ...tmpfsVolumes(service.tmpfs)];
  return converted;
}

/**
 * The stack file's content before the Swarm patch.
 * @example
 * const stack = composeToStack(parse(readFileSync('compose.yaml', 'utf8'), { merge: true }), options);
 */
export function composeToStack(compose: JsonMap, options: ConvertOptions): JsonMap {
  const configs: JsonMap = {};
  const services: JsonMap = {};
  for (const [name, service] of Object.entries(asMap(compose.services))) {
    if (asMap(service).profiles !== undefined) continue;
    services[name] = convertService(asMap(service), options, configs);
  }
  const networks: JsonMap = {};
  for (const [name, network] of Object.entries(asMap(compose.networks))) networks[name] = { ...asMap(network), driver: 'overlay' };
  const stack: JsonMap = { services, networks };
  if (compose.volumes !== undefined) stack.volumes = compose.volumes;
  if (Object.keys(configs).length > 0) stack.configs = configs;
  return stack;
}
