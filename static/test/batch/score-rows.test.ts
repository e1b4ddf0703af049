import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OutputRow } from '../../../cli/score/output/output-row.ts';
import type { ModelInfo } from '../../src/api.ts';
import { scoreRows } from '../../src/batch/score-rows.ts';

const SHA = 'a'.repeat(64);
const MODEL = { id: 'unitary/toxic-bert', dtype: 'q8', offline: true, sha256: SHA, revision: null, max_tokens: 512, limits: { max_texts: 3, max_chars: 20_000, max_request_tokens: 12_288 } } as unknown as ModelInfo;
const scores = { toxic: 0.9, severe_toxic: 0, obscene: 0, threat: 0, insult: 0, identity_hate: 0 };

function answer(texts: string[]): Response {
  const results = texts.map(() => ({ scores, flagged: true, labels: ['toxic'], tokens: 5, windows: 1 }));
  return Response.json({ model: { id: MODEL.id, dtype: 'q8', sha256: SHA }, threshold: 0.5, results, took_ms: 1 });
}

afterEach(() => vi.unstubAllGlobals());

describe('scoreRows', () => {
  it("sends at most the model's max_texts per request, waits out a 429, and hands back every row in order", async () => {
    const sent: string[][] = [];
    let refused = false;
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      expect(url).toBe('/api/v1/classify');
      const texts = (JSON.parse(init.body as string) as { texts: string[] }).texts;
      if (!refused) {
        refused = true;
        return new Response('{}', { status: 429, headers: { 'retry-after': '0' } });
      }
      sent.push(texts);
      return answer(texts);
    });
    const rows = Array.from({ length: 8 }, (_, i) => ({ row: i + 1, text: `text ${i + 1}` }));
    rows[4]!.text = '   ';
    const done: OutputRow[] = [];
    const ended = await scoreRows(rows, { model: MODEL, stop: new AbortController().signal, onRows: (out) => done.push(...out) });
    expect(ended).toBe('done');
    expect(done.map((r) => r.row)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(done[4]!.error).toMatch(/^the text /);
    expect(done.filter((r) => r.result).length).toBe(7);
    expect(Math.max(...sent.map((texts) => texts.length))).toBeLessThanOrEqual(3);
  });

  it('stops at once when cancelled, cutting the request in flight', async () => {
    const stop = new AbortController();
    // Like a real fetch: pending until its signal aborts, which Cancel does while it is in flight.
    vi.stubGlobal('fetch', (_url: string, init: RequestInit) => {
      const pending = new Promise((_resolve, reject) => init.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
      setTimeout(() => stop.abort(), 10);
      return pending;
    });
    const rows = Array.from({ length: 10 }, (_, i) => ({ row: i + 1, text: `text ${i + 1}` }));
    const done: OutputRow[] = [];
    expect(await scoreRows(rows, { model: MODEL, stop: stop.signal, onRows: (out) => done.push(...out) })).toBe('stopped');
    expect(done).toEqual([]);
  });
});
