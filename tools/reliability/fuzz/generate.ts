/**
 * @module generate
 * The fuzz generator: case `id` of a run seeded with `seed`, deterministic, built by the
 * generator of a kind drawn with fixed weights.
 *
 * @example
 * const first = generateCase(1, 0); // always the same request for seed 1
 * for (const c of generateCases(1, 100)) console.log(c.kind, c.variant);
 */
import { BODY_KINDS } from './body-cases.ts';
import type { CaseDraft, CaseKind, FuzzCase } from './case.ts';
import { HTTP_KINDS } from './http-cases.ts';
import { Random } from './random.ts';

const GENERATORS: Record<CaseKind, (r: Random) => CaseDraft> = { ...BODY_KINDS, ...HTTP_KINDS };

/** How often each kind comes up, per 100 cases. Slow ones are rarer: each takes seconds. */
export const KIND_WEIGHTS: Readonly<Record<CaseKind, number>> = {
  valid: 6,
  'random-bytes': 8,
  'truncated-json': 8,
  'deep-nesting': 5,
  'wrong-types': 11,
  'huge-strings': 4,
  'invalid-utf8': 10,
  unicode: 12,
  'wrong-method': 7,
  'content-type': 7,
  path: 8,
  'header-oddity': 8,
  'raw-garbage': 3,
  'slow-body': 1.5,
  'aborted-body': 1.5,
};

const SLOW_KINDS: ReadonlySet<CaseKind> = new Set(['slow-body', 'aborted-body']);

export function generateCase(seed: number, id: number): FuzzCase {
  const r = Random.forCase(seed, id);
  const kind = r.weighted(KIND_WEIGHTS);
  const draft = GENERATORS[kind](r);
  return { id, kind, slow: SLOW_KINDS.has(kind), ...draft };
}

export function* generateCases(seed: number, count: number, firstId = 0): Generator<FuzzCase> {
  for (let id = firstId; id < firstId + count; id++) yield generateCase(seed, id);
}
