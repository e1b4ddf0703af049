/**
 * @module fast-rules
 * A copy of observability/prometheus/rules/ with every `for` divided by a factor, so a live test
 * sees an alert go pending and then firing in seconds instead of minutes. Expressions and
 * windows are left as they are: the alert under test is the production one, only sooner.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { REPO_ROOT } from '../../tools/lib/repo.ts';

export const RULES_DIR = path.join(REPO_ROOT, 'observability/prometheus/rules');

interface RuleFile {
  groups: Array<{ name: string; rules: Array<{ alert?: string; record?: string; for?: string; [key: string]: unknown }> }>;
}

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 };

/** Prometheus' duration syntax (`1m`, `1h30m`) in seconds. */
export function durationSeconds(text: string): number {
  const parts = [...text.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) throw new Error(`not a Prometheus duration: ${text}`);
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * UNIT_SECONDS[unit!]!, 0);
}

export function loadRuleFiles(dir = RULES_DIR): Array<{ file: string; rules: RuleFile }> {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.yml'))
    .sort()
    .map((file) => ({ file, rules: parse(readFileSync(path.join(dir, file), 'utf8')) as RuleFile }));
}

/** Writes the sped-up copy to a new temporary folder and returns that folder. */
export function writeFastRules(factor: number, dir = RULES_DIR): string {
  const out = mkdtempSync(path.join(tmpdir(), 'fast-rules-'));
  for (const { file, rules } of loadRuleFiles(dir)) {
    for (const rule of rules.groups.flatMap((g) => g.rules)) {
      if (rule.for) rule.for = `${Math.max(1, Math.round(durationSeconds(rule.for) / factor))}s`;
    }
    writeFileSync(path.join(out, file), stringify(rules));
  }
  return out;
}
