/**
 * @module daemon
 * Starts a long-running program inside one of the lab's network namespaces, detached from this
 * process, with its output in a log file and its pid in a pid file, so that a later run can
 * stop what a crashed one left (by that pid, never by name).
 *
 * `nsenter --net` rather than `ip netns exec`: the latter remounts /sys, which hides the cgroup
 * mounts dockerd needs. `unshare --uts` gives the node a hostname of its own.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { sleep } from '../../lib/wait.ts';

export interface DaemonOptions {
  namespace: string;
  hostname: string;
  argv: string[];
  logFile: string;
  pidFile: string;
}

/** Returns the daemon's pid (that of `argv[0]` itself: nsenter and unshare exec into it). */
export function startDaemon(o: DaemonOptions): number {
  const log = openSync(o.logFile, 'a');
  const child = spawn(
    'nsenter',
    [`--net=/var/run/netns/${o.namespace}`, 'unshare', '--uts', 'sh', '-c', 'hostname "$0" && exec "$@"', o.hostname, ...o.argv],
    // Its own session: no signal meant for this process group reaches it, and no lock or
    // descriptor of ours beyond the log stays open in it.
    { detached: true, stdio: ['ignore', log, log] },
  );
  closeSync(log);
  child.unref();
  if (child.pid === undefined) throw new Error(`${o.argv[0]} did not start in ${o.namespace}`);
  writeFileSync(o.pidFile, `${child.pid}\n`);
  return child.pid;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether `pid` still runs a command line that mentions `marker` (not a reused pid). */
function runs(pid: number, marker: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
  } catch {
    return false;
  }
}

/**
 * Sends `signal` to the pid in `pidFile`, if that process's command line mentions `marker`
 * (the lab's folder), and waits up to `waitMs` for it to exit.
 */
export async function stopDaemon(pidFile: string, marker: string, signal: NodeJS.Signals = 'SIGKILL', waitMs = 10_000): Promise<void> {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  if (pid > 0 && runs(pid, marker)) {
    process.kill(pid, signal);
    const deadline = Date.now() + waitMs;
    while (isAlive(pid) && Date.now() < deadline) await sleep(50);
  }
  rmSync(pidFile, { force: true });
}
