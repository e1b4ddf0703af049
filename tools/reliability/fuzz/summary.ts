/**
 * @module summary
 * The fuzz report as a person reads it: totals, answers by status and by case kind, the
 * checks on processes and memory, and the violations, if any.
 */
import { mib } from './memory.ts';
import type { FuzzReport } from './run.ts';

const sortedEntries = (counts: Record<string, number>) => Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
const list = (counts: Record<string, number>) => sortedEntries(counts).map(([k, n]) => `${k}: ${n}`).join(', ');

export function formatReport(report: FuzzReport): string {
  const seconds = report.durationMs / 1000;
  const lines = [
    `fuzz: ${report.count} requests, seed ${report.seed}, in ${seconds.toFixed(1)} s (${(report.count / seconds).toFixed(0)}/s) through ${report.url}`,
    `by status: ${list(report.byStatus)}`,
    `error codes: ${list(report.byErrorCode)}`,
    'by kind:',
    ...Object.entries(report.byKind)
      .sort(([, a], [, b]) => b.count - a.count)
      .map(([kind, k]) => `  ${kind.padEnd(15)} ${String(k.count).padStart(6)}   ${list(k.statuses)}`),
  ];
  lines.push(
    report.processes.checked
      ? `processes: ${report.processes.problems.length === 0 ? 'every replica and nginx (master and workers) still up, same pids, no restarts' : report.processes.problems.join('; ')}`
      : 'processes: not checked (a --url run has no access to them)',
  );
  if (report.memory.checked) {
    lines.push('replica memory (resting VmRSS: the floor over a quiet spell):');
    for (const m of report.memory.replicas) {
      lines.push(`  ${m.name}: ${mib(m.beforeBytes)} MiB before, ${mib(m.peakBytes)} MiB peak, ${mib(m.afterBytes)} MiB after (${m.growth >= 0 ? '+' : ''}${(m.growth * 100).toFixed(1)}%)`);
    }
    for (const problem of report.memory.problems) lines.push(`  MEMORY: ${problem}`);
  } else {
    lines.push('replica memory: not checked (a --url run has no access to the processes)');
  }
  lines.push(`violations: ${report.violationCount}`);
  for (const v of report.violations.slice(0, 30)) {
    lines.push(`  #${v.id} (${v.phase}) ${v.kind}/${v.variant} → ${v.status === 0 ? 'no answer' : v.status}: ${v.problems.join('; ')}`);
  }
  if (report.violations.length > 30) lines.push(`  ... and ${report.violationCount - 30} more (--json lists 100)`);
  lines.push(report.ok ? 'PASS' : 'FAIL');
  return lines.join('\n');
}
