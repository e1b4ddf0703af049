/**
 * @module processes
 * The stack's processes as the operating system sees them: resident memory (VmRSS from
 * /proc/<pid>/status) and who is alive, so a run can prove afterwards that nothing crashed,
 * restarted or kept memory it should have given back.
 */
import { childPids, rssBytes } from '../lib/processes.ts';
import type { Replica, Stack } from '../stack/stack.ts';

/** A replica's RSS in bytes; 0 while it is down (between a crash and its restart). */
export function replicaRss(replica: Replica): number {
  return replica.process.pid === undefined ? 0 : (rssBytes(replica.process.pid) ?? 0);
}

export interface ProcessSnapshot {
  name: string;
  pid: number | undefined;
  restarts: number;
  running: boolean;
  /** nginx's worker pids; a worker that crashed is replaced under a new pid. */
  children: number[];
}

export function snapshotStack(stack: Stack): ProcessSnapshot[] {
  const supervised = [...stack.replicas.map((r) => r.process), stack.nginx];
  return supervised.map((p) => ({
    name: p.name,
    pid: p.pid,
    restarts: p.restarts,
    running: p.running,
    children: p === stack.nginx && p.pid !== undefined ? childPids(p.pid).sort((a, b) => a - b) : [],
  }));
}

/** What changed between two snapshots: any of it means a process died or was replaced. */
export function processProblems(before: readonly ProcessSnapshot[], after: readonly ProcessSnapshot[]): string[] {
  return before.flatMap((b, i) => {
    const a = after[i]!;
    const problems: string[] = [];
    if (!a.running) problems.push(`${b.name} is not running`);
    if (a.pid !== b.pid) problems.push(`${b.name} has a new pid (${b.pid} → ${a.pid})`);
    if (a.restarts !== b.restarts) problems.push(`${b.name} was restarted ${a.restarts - b.restarts} time(s)`);
    if (a.children.join() !== b.children.join()) problems.push(`${b.name} workers changed (${b.children.join(',')} → ${a.children.join(',')})`);
    return problems;
  });
}
