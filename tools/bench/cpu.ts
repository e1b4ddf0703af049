/**
 * @module cpu
 * Where the CPU went during a phase, from /proc: each process's user + system time (ORT's
 * threads included, since they live in the replica's process), and the whole machine's busy
 * time, so "the rest" (other tenants of this shared box) shows too. Linux only.
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second for /proc times; 100 on every Linux this runs on. */
const TICKS_PER_SECOND = 100;

/** utime + stime of one process in seconds, or undefined once it is gone. */
function processSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name, which may itself hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Busy and total CPU seconds of the whole machine (all cores) since boot. */
function machineSeconds(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.split(/\s+/).slice(1, 9).map(Number) as number[];
  const busy = user! + nice! + system! + irq! + softirq! + steal!;
  return { busy: busy / TICKS_PER_SECOND, total: (busy + idle! + iowait!) / TICKS_PER_SECOND };
}

export type Groups = Record<string, number[]>;

export interface CpuShare {
  wallS: number;
  /** Cores' worth of CPU used per group: CPU seconds / wall seconds. */
  cores: Record<string, number>;
  /** The machine's busy cores, every process on it. */
  machineBusyCores: number;
  /** Busy cores not in any group: other tenants, the kernel, tools. */
  otherCores: number;
}

/**
 * @example
 * const meter = startCpuMeter({ replicas: [pid1, pid2], nginx: [worker1, worker2] });
 * await work(); const share = meter.stop();
 */
export function startCpuMeter(groups: Groups): { stop(): CpuShare } {
  const sum = (pids: number[]) => pids.reduce((s, pid) => s + (processSeconds(pid) ?? 0), 0);
  const before = Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, sum(pids)]));
  const machineBefore = machineSeconds();
  const began = performance.now();
  return {
    stop() {
      const wallS = (performance.now() - began) / 1000;
      const machine = machineSeconds();
      const cores = Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, (sum(pids) - before[name]!) / wallS]));
      const machineBusyCores = (machine.busy - machineBefore.busy) / wallS;
      const grouped = Object.values(cores).reduce((a, b) => a + b, 0);
      return { wallS, cores, machineBusyCores, otherCores: Math.max(0, machineBusyCores - grouped) };
    },
  };
}
