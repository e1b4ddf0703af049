/**
 * @module stack-phases
 * One timed phase of load against the running stack through nginx, closed loop or open model
 * (tools/load/load.ts), with what the replicas and the machine did meanwhile: CPU per process
 * group (replicas, nginx, this load generator, everyone else) and the batcher's own figures.
 */
import { requestBody } from '../lib/corpus.ts';
import { constantArrivals } from '../load/arrivals.ts';
import { runArrivals, runClosedLoop, type LoadResult } from '../load/load.ts';
import { PLAN } from '../load/scenarios.ts';
import { summariseResult, type Summary } from '../load/summary.ts';
import { startCpuMeter, type CpuShare, type Groups } from './cpu.ts';
import { batchingBetween, readCounters, type BatchingFigures } from './replica-metrics.ts';
import { shedCount } from './stack-report.ts';
import { round } from './timing.ts';

/** Where the load posts and how it wraps one text: the native API unless a phase says otherwise. */
export interface Route {
  path: string;
  body(text: string): string;
}

export interface StackUnderTest {
  /** nginx's base URL. */
  url: string;
  /** The native `/api/v1/classify` (as k6.js posts it) when absent. */
  route?: Route;
  /** Sent with every request (an API key). */
  headers?: Record<string, string>;
  /** The CA certificate (PEM) to trust for an https:// url. */
  ca?: string;
  replicaUrls: string[];
  /** Processes to account CPU to (replicas, nginx, generator). */
  cpuGroups(): Groups;
  texts: readonly string[];
}

export interface Phase {
  label: string;
  /** Offered requests per second (open model), or undefined for a closed loop. */
  offeredRps: number | undefined;
  concurrency: number | undefined;
  summary: Summary;
  cpu: CpuShare;
  batching: BatchingFigures;
}

async function measured(
  stack: StackUnderTest,
  label: string,
  offeredRps: number | undefined,
  concurrency: number | undefined,
  load: () => Promise<LoadResult>,
): Promise<Phase> {
  const before = await readCounters(stack.replicaUrls);
  const meter = startCpuMeter(stack.cpuGroups());
  const result = await load();
  const cpu = meter.stop();
  const after = await readCounters(stack.replicaUrls);
  return { label, offeredRps, concurrency, summary: summariseResult(result), cpu, batching: batchingBetween(before, after, cpu.wallS) };
}

function target(stack: StackUnderTest) {
  // Each phase starts the corpus at a different place, so phases do not all begin with the same tweets.
  const offset = Math.floor(Math.random() * stack.texts.length);
  const { route } = stack;
  const body = route ? (i: number) => route.body(stack.texts[(offset + i) % stack.texts.length]!) : (i: number) => requestBody(stack.texts, offset + i);
  return { url: new URL(route?.path ?? PLAN.endpoint, stack.url).href, body, timeoutMs: 30_000, headers: stack.headers, ca: stack.ca };
}

/** `concurrency` clients back to back: the most the stack answers per second. */
export function closedLoop(stack: StackUnderTest, label: string, concurrency: number, seconds: number): Promise<Phase> {
  return measured(stack, label, undefined, concurrency, () => runClosedLoop(target(stack), concurrency, seconds * 1000));
}

export interface RampStep {
  concurrency: number;
  okRps: number;
  /** Share of the requests answered 503 or 429. */
  shed: number;
}

/**
 * How many closed-loop clients get the most answers from the stack: from `start`, growing by
 * `factor`, the step with the most 200s per second. More clients keep the replicas' queues
 * fuller, so batches are cut from more sequences, up to the admission bound (MAX_QUEUE_DELAY_MS).
 * Past it the surplus is refused at once (429/503), and these clients, which do not wait out
 * Retry-After, send again at once, so the queues stay at the bound: answers keep rising, not
 * because of the refusals but despite them, until what the refusals cost outweighs it. The search
 * stops at the first step that answers less than `dropOff` of the best so far, or at `max`. Found
 * by trying, not set: where the bound falls depends on what this CPU does per text. (Taking the
 * most clients served with at most 1 % shed stopped short: with clients in flight between the
 * queue and nginx, a queue that never refuses is a queue that is not always full.)
 */
export async function saturatingConcurrency(
  stack: StackUnderTest,
  o: { start: number; factor: number; max: number; seconds: number; dropOff: number },
): Promise<{ concurrency: number; steps: RampStep[] }> {
  const steps: RampStep[] = [];
  let best: RampStep | undefined;
  for (let clients = o.start; clients <= o.max; clients = Math.round(clients * o.factor)) {
    const { summary } = await closedLoop(stack, `ramp ${clients}`, clients, o.seconds);
    const shed = summary.completed > 0 ? shedCount(summary) / summary.completed : 0;
    const step = { concurrency: clients, okRps: round(summary.okRps), shed: round(shed, 4) };
    steps.push(step);
    if (best && step.okRps < o.dropOff * best.okRps) break;
    if (!best || step.okRps > best.okRps) best = step;
  }
  return { concurrency: best?.concurrency ?? o.start, steps };
}

/**
 * Each target's closed-loop throughput (answered texts per second) in `rounds` interleaved
 * rounds, the order reversed every other round so going first or last, or a noisy neighbour,
 * weighs on every target alike. `check` sees each phase and throws if it is broken.
 */
export async function saturationRounds<Name extends string>(
  targets: Record<Name, StackUnderTest>,
  o: { rounds: number; concurrency: number; seconds: number },
  check: (name: Name, phase: Phase) => void,
): Promise<Record<Name, number[]>> {
  const names = Object.keys(targets) as Name[];
  const rates = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<Name, number[]>;
  for (let r = 0; r < o.rounds; r++) {
    for (const name of r % 2 === 1 ? [...names].reverse() : names) {
      const phase = await closedLoop(targets[name], name, o.concurrency, o.seconds);
      check(name, phase);
      rates[name].push(phase.summary.okRps);
      process.stderr.write(`round ${r + 1} ${name}: ${round(phase.summary.okRps)} texts/s, p99 ${round(phase.summary.latencyMs.p99)} ms\n`);
    }
  }
  return rates;
}

/** `rps` requests per second on schedule, whatever the answers (at most `maxInFlight` waiting). */
export function openLoad(stack: StackUnderTest, label: string, rps: number, seconds: number, maxInFlight: number): Promise<Phase> {
  return measured(stack, label, rps, undefined, () => runArrivals(target(stack), constantArrivals(rps, seconds), maxInFlight));
}
