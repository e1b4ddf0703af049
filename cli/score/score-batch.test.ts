import { describe, expect, it } from 'vitest';
import { createPacker, type Batch } from './batches.ts';
import { EXIT } from './exit-codes.ts';
import type { InputRow } from './input/input-row.ts';
import { createLimiter } from './limiter.ts';
import { backoffMs, Interrupted, scoreBatch, type BatchContext } from './score-batch.ts';
import type { Attempt, Scorer, ScoredText } from './scorer.ts';

// A scorer that answers from a script, so each way an attempt can end is produced on demand;
// the real service's answers are covered by test/score/.
const SHA = 'a'.repeat(64);
const scored = (texts: readonly string[], sha = SHA): Attempt => ({
  kind: 'scored',
  sha256: sha,
  results: texts.map((text): ScoredText => ({
    scores: { toxic: text.length / 100, severe_toxic: 0, obscene: 0, threat: 0, insult: 0, identity_hate: 0 },
    flagged: false,
    labels: [],
    tokens: text.length,
    windows: 1,
  })),
});

function scripted(answer: (texts: readonly string[], call: number) => Attempt) {
  const calls: string[][] = [];
  const scorer: Scorer = {
    model: { id: 'unitary/toxic-bert', dtype: 'q8', offline: true, sha256: SHA, revision: null },
    limits: { maxTexts: 32, budget: 12_288, maxTokens: 512 },
    source: 'script',
    maxConcurrency: 4,
    classify: async (texts) => {
      calls.push([...texts]);
      return answer(texts, calls.length);
    },
    close: async () => {},
  };
  return { scorer, calls };
}

function batchOf(texts: unknown[]): Batch<InputRow> {
  const packer = createPacker<InputRow>({ maxTexts: 32, budget: 12_288, maxTokens: 512 }, (row) => row.text);
  texts.forEach((text, i) => packer.add({ row: i + 1, id: `id${i + 1}`, text, end: i }));
  return packer.flush()!;
}

function context(scorer: Scorer, overrides: Partial<BatchContext> = {}): BatchContext {
  return {
    scorer,
    threshold: 0.5,
    limiter: createLimiter({ initial: 4, max: 4 }),
    stop: new AbortController().signal,
    giveUpMs: 60_000,
    health: { lastScored: Date.now() },
    ...overrides,
  };
}

describe('scoreBatch', () => {
  it('gives every row its result, in order, and error rows for what was not sent', async () => {
    const { scorer, calls } = scripted((texts) => scored(texts));
    const rows = await scoreBatch(batchOf(['ab', '', 'abcd']), context(scorer));
    expect(calls).toEqual([['ab', 'abcd']]);
    expect(rows.map((r) => [r.row, r.id, r.result?.tokens, r.error])).toEqual([
      [1, 'id1', 2, undefined],
      [2, 'id2', undefined, 'the text must contain at least one non-whitespace character'],
      [3, 'id3', 4, undefined],
    ]);
  });

  it('waits as long as Retry-After says before sending again, and lowers the concurrency when told the client is busy', async () => {
    const { scorer, calls } = scripted((texts, call) => (call === 1 ? { kind: 'retry', afterMs: 300, busy: true, why: '429 rate_limited' } : scored(texts)));
    const limiter = createLimiter({ initial: 4, max: 4 });
    const began = performance.now();
    const rows = await scoreBatch(batchOf(['x', 'y']), context(scorer, { limiter }));
    expect(performance.now() - began).toBeGreaterThanOrEqual(300);
    expect(calls).toHaveLength(2);
    expect(rows.every((r) => r.result)).toBe(true);
    expect(limiter.limit).toBe(2);
  });

  it('splits a request that is too large until single texts, which become error rows', async () => {
    const { scorer, calls } = scripted((texts) => (texts.includes('huge') ? { kind: 'too_large', why: '413 over_budget' } : scored(texts)));
    const rows = await scoreBatch(batchOf(['a', 'b', 'huge', 'c']), context(scorer));
    expect(rows.map((r) => r.error ?? r.result?.tokens)).toEqual([1, 1, 'the service refused the text as too large (413 over_budget)', 1]);
    expect(calls.at(-1)).toEqual(['c']);
  });

  it('keeps texts the service refuses as error rows and sends the rest again', async () => {
    const { scorer, calls } = scripted((texts, call) =>
      call === 1 ? { kind: 'refused', problems: new Map([[1, 'the text must be at most 20000 characters']]) } : scored(texts),
    );
    const rows = await scoreBatch(batchOf(['a', 'b', 'c']), context(scorer));
    expect(calls).toEqual([['a', 'b', 'c'], ['a', 'c']]);
    expect(rows.map((r) => r.error ?? 'ok')).toEqual(['ok', 'the text must be at most 20000 characters', 'ok']);
  });

  it('refuses an answer from other weights than the run started with (exit 5)', async () => {
    const { scorer } = scripted((texts) => scored(texts, 'b'.repeat(64)));
    await expect(scoreBatch(batchOf(['a']), context(scorer))).rejects.toMatchObject({ exitCode: EXIT.model, message: expect.stringContaining('run different models') });
  });

  it('gives up (exit 4) when nothing has been scored for --give-up-after', async () => {
    const { scorer, calls } = scripted(() => ({ kind: 'retry', afterMs: 10, busy: false, why: 'no answer (ECONNREFUSED)' }));
    const ctx = context(scorer, { giveUpMs: 100, health: { lastScored: Date.now() } });
    await expect(scoreBatch(batchOf(['a']), ctx)).rejects.toMatchObject({ exitCode: EXIT.service, message: expect.stringContaining('ECONNREFUSED') });
    expect(calls.length).toBeGreaterThan(3);
  });

  it('stops waiting at once when the run is stopped', async () => {
    const { scorer } = scripted(() => ({ kind: 'retry', afterMs: 60_000, busy: false, why: '503 not_ready' }));
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 50);
    await expect(scoreBatch(batchOf(['a']), context(scorer, { stop: stop.signal }))).rejects.toBeInstanceOf(Interrupted);
  });
});

describe('backoffMs', () => {
  it('doubles from 250 ms up to 10 s, with up to half taken off at random', () => {
    expect([0, 1, 2, 10].map((n) => backoffMs(n, () => 1))).toEqual([250, 500, 1000, 10_000]);
    expect(backoffMs(0, () => 0)).toBe(125);
  });
});
