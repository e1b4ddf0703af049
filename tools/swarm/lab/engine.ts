/**
 * @module engine
 * One Docker engine (dockerd) per lab node, in the node's network namespace, with its own data,
 * state and socket under the lab's folder. The engines leave this machine's iptables alone,
 * take their bridge and local-network addresses from 198.19.0.0/16, pull through the lab's
 * registry (as a mirror of Docker Hub, and by its address) and let the storage driver be the
 * best the kernel offers (overlay2 on ext4; vfs would copy every image per container).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { childPids } from '../../lib/processes.ts';
import { waitFor } from '../../lib/wait.ts';
import { startDaemon, stopDaemon } from './daemon.ts';
import { namespaceOf } from './network.ts';

const run = promisify(execFile);

export interface EngineOptions {
  node: number;
  hostname: string;
  /** The lab's folder; this engine lives in `<dir>/n<node>`. */
  dir: string;
  /** host:port of the lab's registry. */
  registry: string;
}

export class Engine {
  readonly node: number;
  readonly hostname: string;
  readonly home: string;
  readonly socket: string;
  readonly #options: EngineOptions;

  constructor(options: EngineOptions) {
    this.#options = options;
    this.node = options.node;
    this.hostname = options.hostname;
    this.home = path.join(options.dir, `n${options.node}`);
    this.socket = `unix://${path.join(this.home, 'docker.sock')}`;
  }

  /** The environment that points the docker CLI at this engine. */
  get env(): Record<string, string> {
    return { ...(process.env as Record<string, string>), DOCKER_HOST: this.socket };
  }

  async start(): Promise<void> {
    mkdirSync(this.home, { recursive: true });
    // An empty configuration: the machine's /etc/docker/daemon.json belongs to its own engine.
    writeFileSync(path.join(this.home, 'daemon.json'), '{}\n');
    startDaemon({
      namespace: namespaceOf(this.node),
      hostname: this.hostname,
      logFile: path.join(this.home, 'dockerd.log'),
      pidFile: path.join(this.home, 'lab.pid'),
      argv: [
        'dockerd',
        `--config-file=${path.join(this.home, 'daemon.json')}`,
        `--data-root=${path.join(this.home, 'data')}`,
        `--exec-root=${path.join(this.home, 'run')}`,
        `--pidfile=${path.join(this.home, 'dockerd.pid')}`,
        `--host=${this.socket}`,
        '--iptables=false',
        `--bip=198.19.${250 + this.node}.1/24`,
        '--default-address-pool=base=198.19.0.0/18,size=24',
        `--insecure-registry=${this.#options.registry}`,
        `--registry-mirror=http://${this.#options.registry}`,
        '--log-level=warn',
      ],
    });
    await waitFor(`dockerd of ${this.hostname}`, () => this.docker('version', '--format', '{{.Server.Version}}').catch(() => ''), Boolean, 60_000, 200);
  }

  /** Runs the docker CLI against this engine; resolves with its trimmed output. */
  async docker(...args: string[]): Promise<string> {
    const { stdout } = await run('docker', args, { env: this.env, maxBuffer: 64 << 20, timeout: 600_000 });
    return stdout.trim();
  }

  /** kill -9 of dockerd alone, as a crashed engine: its containers keep running without it. */
  async crash(): Promise<void> {
    await stopDaemon(path.join(this.home, 'lab.pid'), this.home, 'SIGKILL');
  }

  /**
   * Stops the engine and everything it started: dockerd (its containerd exits with it), then
   * each containerd shim of this engine, found by the socket path on its command line, with
   * its containers' processes.
   */
  async destroy(): Promise<void> {
    await this.crash();
    const socket = path.join(this.home, 'run');
    for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number)) {
      let cmdline = '';
      try {
        cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        continue;
      }
      if (cmdline.startsWith('/usr/bin/containerd-shim') && cmdline.includes(socket)) {
        for (const victim of [...descendants(pid), pid]) killQuietly(victim);
      }
    }
  }
}

function descendants(pid: number): number[] {
  return childPids(pid).flatMap((child) => [child, ...descendants(child)]);
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
