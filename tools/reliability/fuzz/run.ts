/**
 * @module run
 * Runs the fuzz cases against a proxy URL: a warm-up (the same mix, other ids, plus the
 * heaviest requests a few times over), then the run itself, fast cases and slow ones in two
 * pools. Every answer is judged (verdict.ts); with the stack's processes at hand it also checks
 * that none died or restarted and that replica memory came back (memory.ts).
 */
import http from 'node:http';
import type { Stack } from '../../stack/stack.ts';
import { processProblems, snapshotStack } from '../processes.ts';
import type { CaseKind, FuzzCase } from './case.ts';
import { generateCase, generateCases } from './generate.ts';
import { DEFAULT_MEMORY, memoryAfter, restingRss, samplePeaks, type MemoryOptions, type ReplicaMemory } from './memory.ts';
import { sendPlan, type Answer, type Target } from './send.ts';
import { judge } from './verdict.ts';

export interface FuzzOptions {
  /** The proxy, e.g. http://127.0.0.1:8080. */
  url: string;
  count: number;
  seed: number;
  /** Requests in flight at once, for ordinary cases and for trickled/stalled ones. */
  concurrency: number;
  slowConcurrency: number;
  warmupCount: number;
  /** A case with no answer after this long fails; above nginx's 10 s client timeouts. */
  timeoutMs: number;
  /** With the stack, processes and memory are checked too; with only a URL they cannot be. */
  stack?: Stack;
  memory: MemoryOptions;
  onProgress?: (done: number, total: number) => void;
}

export const DEFAULT_FUZZ: Omit<FuzzOptions, 'url'> = {
  count: 2000,
  seed: 1,
  concurrency: 8,
  slowConcurrency: 24,
  warmupCount: 500,
  timeoutMs: 20_000,
  memory: DEFAULT_MEMORY,
};

/**
 * Warm-up cases for a run of `count`: a quarter of it, at least 500. Allocators keep their
 * high-water mark (ONNX Runtime's arena, glibc's heap), so the baseline is taken once the
 * same mix has run long enough to reach it; growth after that is what a leak would show.
 */
export function warmupFor(count: number): number {
  return Math.max(500, Math.ceil(count / 4));
}

export interface Violation {
  id: number;
  phase: 'warm-up' | 'run';
  kind: CaseKind;
  variant: string;
  status: number;
  problems: string[];
}

export interface FuzzReport {
  url: string;
  seed: number;
  count: number;
  durationMs: number;
  byStatus: Record<string, number>;
  byKind: Record<string, { count: number; statuses: Record<string, number> }>;
  /** Error codes of non-200 answers, e.g. invalid_json, rate_limited, overloaded. */
  byErrorCode: Record<string, number>;
  violationCount: number;
  /** The first 100. */
  violations: Violation[];
  processes: { checked: boolean; problems: string[] };
  memory: { checked: boolean; replicas: ReplicaMemory[]; problems: string[] };
  ok: boolean;
}

/** The variants whose cost sets a replica's memory high-water mark, sent a few times in the warm-up. */
const HEAVY_VARIANTS = ['max-texts-at-limit', 'at-char-limit', 'emoji-at-limit', 'body-at-byte-limit', 'body-far-over'];

function heavyCases(seed: number, copies: number): FuzzCase[] {
  const found: FuzzCase[] = [];
  for (let id = 2_000_000_000; found.length < HEAVY_VARIANTS.length * copies && id < 2_000_100_000; id++) {
    const c = generateCase(seed, id);
    if (c.kind === 'huge-strings' && HEAVY_VARIANTS.includes(c.variant) && found.filter((f) => f.variant === c.variant).length < copies) found.push(c);
  }
  return found;
}

class Slots {
  #free: number;
  #waiting: Array<() => void> = [];
  constructor(size: number) {
    this.#free = size;
  }
  async acquire(): Promise<void> {
    if (this.#free > 0) {
      this.#free--;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }
  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free++;
  }
}

async function runCases(target: Target, cases: Iterable<FuzzCase>, o: FuzzOptions, onAnswer: (c: FuzzCase, a: Answer) => void): Promise<void> {
  const fast = new Slots(o.concurrency);
  const slow = new Slots(o.slowConcurrency);
  const running = new Set<Promise<void>>();
  for (const c of cases) {
    const slots = c.slow ? slow : fast;
    await slots.acquire();
    const done: Promise<void> = sendPlan(target, c.request)
      .then((answer) => onAnswer(c, answer))
      .finally(() => {
        slots.release();
        running.delete(done);
      });
    running.add(done);
  }
  await Promise.all(running);
}

const bump = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/**
 * @example
 * const report = await runFuzz({ ...DEFAULT_FUZZ, url: stack.url, stack, count: 2000 });
 * if (!report.ok) console.log(report.violations);
 */
export async function runFuzz(o: FuzzOptions): Promise<FuzzReport> {
  const url = new URL(o.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency });
  const target: Target = { host: url.hostname, port: Number(url.port || 80), agent, timeoutMs: o.timeoutMs };
  const report: FuzzReport = {
    url: o.url,
    seed: o.seed,
    count: o.count,
    durationMs: 0,
    byStatus: {},
    byKind: {},
    byErrorCode: {},
    violationCount: 0,
    violations: [],
    processes: { checked: false, problems: [] },
    memory: { checked: false, replicas: [], problems: [] },
    ok: false,
  };
  const record = (phase: Violation['phase']) => (c: FuzzCase, answer: Answer) => {
    const problems = judge(c, answer);
    if (problems.length > 0) {
      report.violationCount++;
      if (report.violations.length < 100) report.violations.push({ id: c.id, phase, kind: c.kind, variant: c.variant, status: answer.status, problems });
    }
    if (phase === 'warm-up') return;
    const status = answer.status === 0 ? 'none' : String(answer.status);
    bump(report.byStatus, status);
    const kind = (report.byKind[c.kind] ??= { count: 0, statuses: {} });
    kind.count++;
    bump(kind.statuses, status);
    if (answer.status !== 200 && answer.status !== 0) {
      if (c.request.transport === 'http' && c.request.method === 'HEAD') return bump(report.byErrorCode, '(HEAD: no body)');
      try {
        bump(report.byErrorCode, (JSON.parse(answer.body.toString('utf8')) as { error: { code: string } }).error.code);
      } catch {
        bump(report.byErrorCode, '(not JSON)');
      }
    }
  };

  const stack = o.stack;
  const before = stack ? snapshotStack(stack) : [];
  // Warm-up: the same mix under other ids, then the heaviest requests one at a time (so both replicas see them).
  await runCases(target, generateCases(o.seed, o.warmupCount, 1_000_000_000), o, record('warm-up'));
  await runCases(target, heavyCases(o.seed, 2 * (o.stack?.replicas.length ?? 2)), { ...o, concurrency: 1 }, record('warm-up'));

  const rssBefore = stack ? await restingRss(stack, o.memory.settleMs) : [];
  const peaks = stack ? samplePeaks(stack) : undefined;

  const started = performance.now();
  let done = 0;
  const main = record('run');
  await runCases(target, generateCases(o.seed, o.count), o, (c, answer) => {
    main(c, answer);
    o.onProgress?.(++done, o.count);
  });
  report.durationMs = performance.now() - started;
  agent.destroy();

  if (stack && peaks) {
    const peak = peaks.stop();
    report.memory = { checked: true, ...(await memoryAfter(stack, rssBefore, peak, o.memory)) };
    report.processes = { checked: true, problems: processProblems(before, snapshotStack(stack)) };
  }
  report.ok = report.violationCount === 0 && report.processes.problems.length === 0 && report.memory.problems.length === 0;
  return report;
}
