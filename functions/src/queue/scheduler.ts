/**
 * @module scheduler
 * The replica's queue between requests and the model. It knows token sequences, clients and
 * time, not HTTP and not what the model computes.
 *
 * - **Fair.** Work is queued per client (the address nginx passes, or a key's name) and, within
 *   a client, per request. The next batch is led by the client that has had least model time
 *   so far (start-time fair queueing), and within it by the request that has had least, so an
 *   expensive request is served in parts with other clients' short requests between them, a
 *   stream of short requests cannot starve a long one, and a client that sends more than its
 *   share waits for its own backlog, not everyone else.
 * - **Batches chosen by measurement.** A batch is a run of similar lengths holding the leading
 *   sequence: its run in the cut of the whole queue, by length, into batches that the cost model
 *   (batch-cost-model.ts, learnt on this CPU) predicts will run it all in the least time, within
 *   the latency bound and the length ratio. A worker's next batch is chosen when it has answered
 *   its last, from everything queued by then. Now and then a larger batch is tried, so the model keeps
 *   learning what this CPU does best. A sequence wider than any pass measured so far runs alone,
 *   so no batch rests on an extrapolated cost.
 * - **Honest admission.** A request is refused (503, or 429 when its own client's backlog is the
 *   reason) only if its first part would wait longer than `maxQueueDelaySeconds`, or it could not
 *   finish before its deadline: never for its own size alone. Estimates are in the seconds the
 *   cost model learns, and the queue ahead drains through every worker at once.
 * - **One queue, every worker.** A replica may run several inference workers (INFERENCE_WORKERS),
 *   and they share this queue rather than each holding its own: within the same bound on
 *   waiting, twice the workers see twice the queue, and the runs of similar lengths cut from it
 *   are longer. At saturation with the bench stand-in on 2 cores, one replica with two workers
 *   answered 1.07 times the tweets per second of two replicas of one worker each behind nginx
 *   (`npm run bench:shapes`).
 * - **Nobody waits, nothing runs.** Work whose client has gone, or whose deadline has passed, leaves
 *   the queue.
 */
import type { BatchCostModel } from './batch-cost-model.ts';

export interface SchedulerOptions {
  /** Most sequences in one forward pass. */
  maxBatchSize: number;
  /** Longest forward pass worth making others wait for (one sequence alone may take longer). */
  maxBatchSeconds: number;
  /** Longest / shortest sequence in one batch. */
  maxLengthRatio: number;
  /** Refuse a request whose first part would start later than this. */
  maxQueueDelaySeconds: number;
  /** One batch in this many tries a size other than the predicted best (0: never). */
  exploreEvery: number;
}

export const DEFAULT_SCHEDULER: SchedulerOptions = {
  maxBatchSize: 32,
  maxBatchSeconds: 0.25,
  maxLengthRatio: 1.5,
  maxQueueDelaySeconds: 0.5,
  exploreEvery: 20,
};

export interface ForwardResult {
  /** One row per sequence, in order. */
  logits: Float32Array[];
  seconds: number;
}

export type Forward = (sequences: readonly (readonly number[])[]) => Promise<ForwardResult>;

export interface WorkRequest {
  /** Who is asking: the unit of fairness. */
  client: string;
  sequences: readonly (readonly number[])[];
  /** `performance.now()` time by which unstarted work is dropped. */
  deadline: number;
  /** Aborted when the client goes away. */
  signal?: AbortSignal;
}

export interface WorkResult {
  /** One row per sequence, in request order. */
  rows: Float32Array[];
  /** From arrival to the first forward pass that held one of its sequences. */
  queueSeconds: number;
  /** Forward passes that held its sequences, in sum. */
  inferenceSeconds: number;
}

export type DropReason = 'client_gone' | 'deadline';

/** What the scheduler reports, for metrics. */
export interface SchedulerObserver {
  queueDepth(sequences: number): void;
  batch(info: { size: number; tokens: number; width: number; inferenceSeconds: number; queueWaitSeconds: number[] }): void;
  dropped(reason: DropReason, sequences: number): void;
}

/** The replica is full: every client would wait too long. */
export class OverloadedError extends Error {
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number) {
    super('the replica is overloaded');
    this.name = 'OverloadedError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** This client's own queued work is what makes it wait too long. */
export class ClientBusyError extends Error {
  readonly retryAfterSeconds: number;
  /** Predicted seconds, on all workers at once, of this client's work already queued. */
  readonly queuedSeconds: number;

  constructor(retryAfterSeconds: number, queuedSeconds: number) {
    super('this client has too much work queued');
    this.name = 'ClientBusyError';
    this.retryAfterSeconds = retryAfterSeconds;
    this.queuedSeconds = queuedSeconds;
  }
}

/** The deadline passed before all of the request's work could start. */
export class DeadlineError extends Error {
  constructor() {
    super('the request could not be served before its deadline');
    this.name = 'DeadlineError';
  }
}

/** The client went away; nobody will read the answer. */
export class ClientGoneError extends Error {
  constructor() {
    super('the client went away');
    this.name = 'ClientGoneError';
  }
}

interface Sequence {
  job: Job;
  index: number;
  ids: readonly number[];
  /** Predicted seconds, as counted in the queue totals. */
  cost: number;
  /** Arrival order, to keep equal lengths first come, first served. */
  order: number;
}

interface Job {
  client: Client;
  pending: Sequence[];
  /** Predicted seconds of its sequences still queued. */
  queuedSeconds: number;
  rows: Float32Array[];
  remaining: number;
  vtime: number;
  enqueuedAt: number;
  firstStart: number | undefined;
  inferenceSeconds: number;
  done: boolean;
  resolve(result: WorkResult): void;
  reject(error: Error): void;
  cleanup(): void;
}

interface Client {
  id: string;
  jobs: Job[];
  vtime: number;
  queuedSeconds: number;
}

export interface Scheduler {
  /**
   * Throws OverloadedError or ClientBusyError if `client` could not have sequences of these
   * lengths admitted now: a cheap early refusal, before the request is tokenised.
   */
  admit(client: string, lengths: readonly number[]): void;
  submit(work: WorkRequest): Promise<WorkResult>;
  /** Sequences waiting to run. */
  readonly depth: number;
  /** Predicted seconds of queued work. */
  readonly queuedSeconds: number;
}

/**
 * @example
 * const scheduler = createScheduler(model.forwards, createBatchCostModel());
 * const { rows } = await scheduler.submit({ client: '203.0.113.9', sequences, deadline: performance.now() + 30_000 });
 */
export function createScheduler(
  forwards: readonly Forward[],
  costModel: BatchCostModel,
  options: Partial<SchedulerOptions> = {},
  observer?: SchedulerObserver,
): Scheduler {
  const o: SchedulerOptions = { ...DEFAULT_SCHEDULER, ...options };
  const clients = new Map<string, Client>();
  let depth = 0;
  let queuedSeconds = 0;
  /** Virtual time of the last batch's leader: where a newly active client starts. */
  let virtualClock = 0;
  let arrivals = 0;
  let batches = 0;
  /** Per inference worker: predicted end of the batch it runs, or undefined when it is free. */
  const runningUntil: (number | undefined)[] = forwards.map(() => undefined);
  const workers = forwards.length;
  /** Actual / predicted-alone seconds of recent batches: what batching saves per sequence. */
  let batchingFactor = 1;

  const now = () => performance.now();
  const sequenceCost = (length: number) => batchingFactor * costModel.seconds(1, length);

  function removeFromQueue(sequence: Sequence): void {
    depth--;
    queuedSeconds -= sequence.cost;
    sequence.job.queuedSeconds -= sequence.cost;
    sequence.job.client.queuedSeconds -= sequence.cost;
  }

  function retire(job: Job): void {
    const jobs = job.client.jobs;
    const at = jobs.indexOf(job);
    if (at >= 0) jobs.splice(at, 1);
    if (jobs.length === 0 && clients.get(job.client.id) === job.client) clients.delete(job.client.id);
  }

  function finish(job: Job, error?: Error): void {
    if (job.done) return;
    job.done = true;
    job.cleanup();
    if (error) {
      job.reject(error);
      return;
    }
    const first = job.firstStart ?? now();
    job.resolve({ rows: job.rows, queueSeconds: (first - job.enqueuedAt) / 1000, inferenceSeconds: job.inferenceSeconds });
  }

  /** Takes a job's unstarted work out of the queue and answers it with `error`. */
  function drop(job: Job, error: Error, reason?: DropReason): void {
    if (job.done) return;
    const count = job.pending.length;
    for (const sequence of job.pending) removeFromQueue(sequence);
    job.pending = [];
    retire(job);
    if (count > 0) {
      if (reason) observer?.dropped(reason, count);
      observer?.queueDepth(depth);
    }
    finish(job, error);
  }

  /** The client with least virtual time, then its request with least. */
  function leader(): Sequence | undefined {
    let client: Client | undefined;
    for (const c of clients.values()) if (!client || c.vtime < client.vtime) client = c;
    if (!client) return undefined;
    let job: Job | undefined;
    for (const j of client.jobs) if (!job || j.vtime < job.vtime) job = j;
    return job?.pending[0];
  }

  /**
   * The predicted seconds of a pass over `size` sequences from `shortest` to `width` tokens, or
   * undefined if they may not share one: beyond the length ratio or the latency bound, or wider
   * than any pass measured so far (wider, the cost is extrapolated from shorter ones: after the
   * warm-up's passes of up to 64 tokens, a 512-token window was put at 1.8 times its cost, and an
   * error the other way would make a batch of them hold everyone for seconds; alone, it runs and
   * is learnt).
   */
  function sharedPassSeconds(size: number, shortest: number, width: number): number | undefined {
    const seconds = costModel.seconds(size, width);
    if (size === 1) return seconds;
    const shares = width / Math.max(1, shortest) <= o.maxLengthRatio && width <= costModel.widest && seconds <= o.maxBatchSeconds;
    return shares ? seconds : undefined;
  }
  const mayShare = (size: number, shortest: number, width: number) => sharedPassSeconds(size, shortest, width) !== undefined;

  /**
   * The leader's batch in the cheapest way to run everything queued now. Sorted by length, the
   * queue is cut into runs that may share a pass, so that their predicted seconds together are
   * least (a shortest path over the cut points): each batch is as large as its padding is worth
   * on this CPU, and no sequence is left behind in a poor batch because its neighbours went
   * first. Taking the run around the leader by itself, at the best tokens per second, did the
   * latter. Every `exploreEvery` batches the leader's run is instead grown as far as it may go,
   * so the cost model measures large batches too.
   */
  function chooseBatch(head: Sequence): Sequence[] {
    const all: Sequence[] = [];
    for (const client of clients.values()) for (const job of client.jobs) all.push(...job.pending);
    all.sort((a, b) => a.ids.length - b.ids.length || a.order - b.order);
    const h = all.indexOf(head);
    const length = (i: number) => all[i]!.ids.length;
    batches++;
    if (o.exploreEvery > 0 && batches % o.exploreEvery === 0) {
      let lo = h;
      let hi = h;
      for (;;) {
        const up = hi + 1 < all.length && mayShare(hi - lo + 2, length(lo), length(hi + 1));
        const down = lo > 0 && mayShare(hi - lo + 2, length(lo - 1), length(hi));
        if (up && (!down || length(hi + 1) - length(hi) <= length(lo) - length(lo - 1))) hi++;
        else if (down) lo--;
        else break;
      }
      return all.slice(lo, hi + 1);
    }
    // least[i]: the least predicted seconds to run all[0..i); from[i]: where its last run starts.
    const least = new Float64Array(all.length + 1).fill(Infinity);
    const from = new Int32Array(all.length + 1);
    least[0] = 0;
    for (let end = 1; end <= all.length; end++) {
      const width = length(end - 1);
      for (let start = end - 1; start >= 0 && end - start <= o.maxBatchSize; start--) {
        const pass = sharedPassSeconds(end - start, length(start), width);
        if (pass === undefined) break;
        const seconds = least[start]! + pass;
        if (seconds < least[end]!) {
          least[end] = seconds;
          from[end] = start;
        }
      }
    }
    let end = all.length;
    while (from[end]! > h) end = from[end]!;
    return all.slice(from[end]!, end);
  }

  /**
   * Hands a batch to each free worker, chosen from all that is queued then; a worker that
   * answers gets its next batch from all that arrived meanwhile, and a newcomer waits at most
   * one batch. (A second batch handed to a worker while it ran, so it never waited for this
   * thread, was chosen too early: its slot went to whatever had just arrived, often one tweet,
   * and at saturation the batches averaged 2.5 sequences against 4.1 this way, for 1 to 4 %
   * fewer texts per second.)
   */
  function pump(): void {
    for (;;) {
      const slot = runningUntil.indexOf(undefined);
      if (slot < 0) return;
      const head = leader();
      if (!head) return;
      dispatch(chooseBatch(head), head, slot);
    }
  }

  function dispatch(batch: Sequence[], head: Sequence, slot: number): void {
    const width = Math.max(...batch.map((s) => s.ids.length));
    const predicted = costModel.seconds(batch.length, width);
    const handedOver = now();
    runningUntil[slot] = handedOver + predicted * 1000;
    virtualClock = head.job.client.vtime;

    const share = predicted / batch.length;
    const jobs = new Set<Job>();
    for (const sequence of batch) {
      const job = sequence.job;
      job.pending.splice(job.pending.indexOf(sequence), 1);
      removeFromQueue(sequence);
      job.vtime += share;
      job.client.vtime += share;
      job.firstStart ??= handedOver;
      jobs.add(job);
    }
    for (const job of jobs) if (job.pending.length === 0) retire(job);
    observer?.queueDepth(depth);

    forwards[slot]!(batch.map((s) => s.ids)).then(
      ({ logits, seconds }) => {
        runningUntil[slot] = undefined;
        costModel.learn(batch.length, width, seconds);
        const alone = batch.reduce((sum, s) => sum + costModel.seconds(1, s.ids.length), 0);
        batchingFactor = 0.9 * batchingFactor + 0.1 * Math.min(1, seconds / alone);
        // The next batch goes to the worker before answers are written.
        pump();
        observer?.batch({
          size: batch.length,
          tokens: prefixTokens(batch),
          width,
          inferenceSeconds: seconds,
          queueWaitSeconds: batch.map((s) => (handedOver - s.job.enqueuedAt) / 1000),
        });
        for (const job of jobs) job.inferenceSeconds += seconds;
        batch.forEach((sequence, i) => {
          const job = sequence.job;
          if (job.done) return;
          job.rows[sequence.index] = logits[i]!;
          if (--job.remaining === 0) finish(job);
        });
      },
      (error: unknown) => {
        runningUntil[slot] = undefined;
        pump();
        for (const job of jobs) drop(job, error instanceof Error ? error : new Error(String(error)));
      },
    );
  }

  const prefixTokens = (batch: readonly Sequence[]) => batch.reduce((sum, s) => sum + s.ids.length, 0);

  /**
   * Seconds until the first part of `cost` new work from `client` would start, and until it would
   * end; and of the start, what waits for the client's own earlier requests. A new request leads
   * its client's others (it starts at the least virtual time among them), so before its first
   * part each of them runs about a part of the same size, not all of its backlog: a client's
   * tweets are not refused because its own long text is queued. Other clients run about as much
   * as this client does before it.
   */
  function waits(client: Client | undefined, firstCost: number, cost: number): { start: number; finish: number; ownStart: number } {
    // Until a worker is free, then the queue ahead drains through all of them at once.
    const rest = runningUntil.includes(undefined) ? 0 : Math.max(0, (Math.min(...(runningUntil as number[])) - now()) / 1000);
    const own = client?.queuedSeconds ?? 0;
    let ownFirst = 0;
    for (const job of client?.jobs ?? []) ownFirst += Math.min(job.queuedSeconds, firstCost);
    let beforeStart = 0;
    let beforeFinish = 0;
    for (const other of clients.values()) {
      if (other === client) continue;
      beforeStart += Math.min(other.queuedSeconds, ownFirst + firstCost);
      beforeFinish += Math.min(other.queuedSeconds, own + cost);
    }
    return {
      start: rest + (ownFirst + beforeStart) / workers,
      finish: rest + (own + cost + beforeFinish) / workers,
      ownStart: ownFirst / workers,
    };
  }

  /**
   * Throws unless work of these predicted `costs` (seconds per sequence) from `client` can
   * start within the queue-delay bound and finish by `deadline`.
   */
  function admit(client: Client | undefined, costs: readonly number[], deadline: number): void {
    // A replica with a free worker and nothing queued takes any request, so none is unservable.
    if (runningUntil.includes(undefined) && depth === 0) return;
    const cost = costs.reduce((a, b) => a + b, 0);
    const { start, finish, ownStart } = waits(client, costs[0] ?? 0, cost);
    if (start > o.maxQueueDelaySeconds) {
      if (ownStart > 0 && start - ownStart <= o.maxQueueDelaySeconds) {
        throw new ClientBusyError(Math.max(1, Math.ceil(ownStart)), client!.queuedSeconds / workers);
      }
      throw new OverloadedError(Math.max(1, Math.ceil(start)));
    }
    if (finish * 1000 > deadline - now()) throw new OverloadedError(Math.max(1, Math.ceil(finish)));
  }

  return {
    get depth() {
      return depth;
    },
    get queuedSeconds() {
      return queuedSeconds;
    },
    admit(client, lengths) {
      admit(clients.get(client), lengths.map(sequenceCost), Infinity);
    },
    submit(work) {
      if (work.signal?.aborted) return Promise.reject(new ClientGoneError());
      if (work.sequences.length === 0) return Promise.resolve({ rows: [], queueSeconds: 0, inferenceSeconds: 0 });
      const existing = clients.get(work.client);
      const costs = work.sequences.map((s) => sequenceCost(s.length));
      const cost = costs.reduce((a, b) => a + b, 0);
      try {
        admit(existing, costs, work.deadline);
      } catch (error) {
        return Promise.reject(error);
      }

      const client: Client = existing ?? { id: work.client, jobs: [], vtime: virtualClock, queuedSeconds: 0 };
      if (!existing) clients.set(client.id, client);
      return new Promise<WorkResult>((resolve, reject) => {
        const job: Job = {
          client,
          pending: [],
          queuedSeconds: cost,
          rows: new Array(work.sequences.length),
          remaining: work.sequences.length,
          vtime: client.jobs.reduce((least, j) => Math.min(least, j.vtime), client.vtime),
          enqueuedAt: now(),
          firstStart: undefined,
          inferenceSeconds: 0,
          done: false,
          resolve,
          reject,
          cleanup: () => {},
        };
        job.pending = work.sequences.map((ids, index) => ({ job, index, ids, cost: costs[index]!, order: arrivals++ }));
        client.jobs.push(job);
        depth += job.pending.length;
        queuedSeconds += cost;
        client.queuedSeconds += cost;

        const onAbort = () => drop(job, new ClientGoneError(), 'client_gone');
        work.signal?.addEventListener('abort', onAbort, { once: true });
        // Work already in the model is let finish; only unstarted work is dropped.
        const timer = Number.isFinite(work.deadline)
          ? setTimeout(() => job.pending.length > 0 && drop(job, new DeadlineError(), 'deadline'), Math.max(0, work.deadline - now()))
          : undefined;
        job.cleanup = () => {
          clearTimeout(timer);
          work.signal?.removeEventListener('abort', onAbort);
        };
        observer?.queueDepth(depth);
        pump();
      });
    },
  };
}
