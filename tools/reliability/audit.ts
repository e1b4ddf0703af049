/**
 * @module audit
 * `npm audit --omit=dev` with an explanation required for every high or critical finding:
 * a finding passes only when tools/reliability/audit-allowlist.json lists its advisory with a
 * reason. When the registry's audit endpoint cannot be used (no network, or a registry mirror
 * that does not serve it), the outcome says so instead of passing quietly.
 * Run alone: `tsx tools/reliability/audit.ts` (exit 0 clean, 1 unexplained findings, 3 no audit).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../lib/repo.ts';

export const ALLOWLIST_FILE = path.join(REPO_ROOT, 'tools/reliability/audit-allowlist.json');
const SERIOUS = new Set(['high', 'critical']);

export interface Finding {
  /** GHSA id (from the advisory URL) or npm's advisory number. */
  id: string;
  package: string;
  severity: string;
  title: string;
  url: string;
}

export interface AllowlistEntry {
  id: string;
  package: string;
  reason: string;
}

export type AuditOutcome =
  | { audited: true; findings: Finding[]; unexplained: Finding[]; stale: AllowlistEntry[]; counts: Record<string, number> }
  | { audited: false; reason: string };

interface NpmAuditReport {
  vulnerabilities?: Record<string, { severity: string; via: Array<string | { source: number; name: string; title: string; url: string; severity: string }> }>;
  metadata?: { vulnerabilities: Record<string, number> };
  message?: string;
  error?: { code?: string; summary?: string; detail?: string };
}

export function readAllowlist(file = ALLOWLIST_FILE): AllowlistEntry[] {
  const entries = (JSON.parse(readFileSync(file, 'utf8')) as { advisories: AllowlistEntry[] }).advisories;
  for (const e of entries) {
    if (!e.id || !e.package || !e.reason?.trim()) throw new Error(`${file}: every entry needs id, package and a reason: ${JSON.stringify(e)}`);
  }
  return entries;
}

/** Judges the JSON `npm audit --json` printed against the allowlist. */
export function judgeAudit(stdout: string, allowlist: readonly AllowlistEntry[]): AuditOutcome {
  let report: NpmAuditReport;
  try {
    report = JSON.parse(stdout) as NpmAuditReport;
  } catch {
    return { audited: false, reason: `npm audit printed no JSON: ${stdout.slice(0, 200)}` };
  }
  if (!report.vulnerabilities || !report.metadata) {
    return { audited: false, reason: report.message ?? report.error?.summary ?? report.error?.code ?? 'npm audit gave no report' };
  }
  const byId = new Map<string, Finding>();
  for (const vulnerability of Object.values(report.vulnerabilities)) {
    for (const via of vulnerability.via) {
      // A string `via` names another vulnerable package; its own advisory is listed under it.
      if (typeof via === 'string' || !SERIOUS.has(via.severity)) continue;
      const id = /GHSA-[\w-]+/.exec(via.url)?.[0] ?? String(via.source);
      byId.set(id, { id, package: via.name, severity: via.severity, title: via.title, url: via.url });
    }
  }
  const findings = [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  const allowed = new Set(allowlist.map((e) => e.id));
  return {
    audited: true,
    findings,
    unexplained: findings.filter((f) => !allowed.has(f.id)),
    stale: allowlist.filter((e) => !byId.has(e.id)),
    counts: report.metadata.vulnerabilities,
  };
}

/** Runs `npm audit --omit=dev --json` in the repository and judges it. */
export function runAudit(cwd = REPO_ROOT): AuditOutcome {
  const result = spawnSync('npm', ['audit', '--omit=dev', '--json'], { cwd, encoding: 'utf8', timeout: 120_000 });
  if (result.error) return { audited: false, reason: `npm audit could not run: ${result.error.message}` };
  return judgeAudit(result.stdout, readAllowlist());
}

export function formatOutcome(outcome: AuditOutcome): string {
  if (!outcome.audited) {
    const rule = '!'.repeat(78);
    return `${rule}\nNPM AUDIT DID NOT RUN: ${outcome.reason}\nProduction dependencies were NOT checked for known vulnerabilities.\n${rule}`;
  }
  const lines = [`npm audit --omit=dev: ${Object.entries(outcome.counts).map(([k, v]) => `${k} ${v}`).join(', ')}`];
  for (const f of outcome.findings) lines.push(`  ${f.severity} ${f.id} ${f.package}: ${f.title} ${outcome.unexplained.includes(f) ? '(NOT EXPLAINED)' : '(allowlisted)'}`);
  for (const e of outcome.stale) lines.push(`  allowlist entry ${e.id} (${e.package}) matches no finding any more: remove it`);
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outcome = runAudit();
  console.log(formatOutcome(outcome));
  process.exitCode = !outcome.audited ? 3 : outcome.unexplained.length > 0 || outcome.stale.length > 0 ? 1 : 0;
}
