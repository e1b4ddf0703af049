/**
 * @module fetch/offer
 * Whether `npm start` offers to fetch the real model when it is missing: MODEL_FETCH=yes
 * fetches without asking, MODEL_FETCH=no never fetches; otherwise a person at a terminal is
 * asked once (a refusal is remembered), and a run without a terminal (tests, CI, scripts,
 * containers) never contacts the Hub on its own.
 */

export type FetchSetting = 'yes' | 'no' | 'ask';

export type FetchDecision =
  | { action: 'fetch' }
  | { action: 'ask' }
  | { action: 'skip'; reason: 'setting' | 'no-terminal' | 'declined-before' };

/**
 * @example
 * fetchSetting({ MODEL_FETCH: 'yes' }); // 'yes'
 */
export function fetchSetting(env: NodeJS.ProcessEnv): FetchSetting {
  const raw = env.MODEL_FETCH;
  if (raw === undefined || raw === '') return 'ask';
  if (raw === 'yes' || raw === 'no') return raw;
  throw new Error(`MODEL_FETCH must be yes or no, got "${raw}"`);
}

/**
 * @example
 * decideFetch({ setting: 'ask', terminal: false, declinedBefore: false }); // { action: 'skip', reason: 'no-terminal' }
 */
export function decideFetch(o: { setting: FetchSetting; terminal: boolean; declinedBefore: boolean }): FetchDecision {
  if (o.setting === 'yes') return { action: 'fetch' };
  if (o.setting === 'no') return { action: 'skip', reason: 'setting' };
  if (!o.terminal) return { action: 'skip', reason: 'no-terminal' };
  if (o.declinedBefore) return { action: 'skip', reason: 'declined-before' };
  return { action: 'ask' };
}

/** An answer to "[Y/n]": Enter alone is yes. */
export function isYes(answer: string): boolean {
  return /^(y|yes)?$/i.test(answer.trim());
}
