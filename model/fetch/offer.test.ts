import { describe, expect, it } from 'vitest';
import { decideFetch, fetchSetting, isYes } from './offer.ts';

describe('fetchSetting', () => {
  it('reads MODEL_FETCH as yes, no, or unset (ask), and refuses anything else', () => {
    expect(fetchSetting({ MODEL_FETCH: 'yes' })).toBe('yes');
    expect(fetchSetting({ MODEL_FETCH: 'no' })).toBe('no');
    expect(fetchSetting({})).toBe('ask');
    expect(() => fetchSetting({ MODEL_FETCH: 'true' })).toThrow(/MODEL_FETCH must be yes or no/);
  });
});

describe('decideFetch', () => {
  it.each([
    ['yes', false, true, { action: 'fetch' }],
    ['no', true, false, { action: 'skip', reason: 'setting' }],
    ['ask', false, false, { action: 'skip', reason: 'no-terminal' }],
    ['ask', true, true, { action: 'skip', reason: 'declined-before' }],
    ['ask', true, false, { action: 'ask' }],
  ] as const)('MODEL_FETCH %s, terminal %s, declined before %s: %j', (setting, terminal, declinedBefore, decision) => {
    expect(decideFetch({ setting, terminal, declinedBefore })).toEqual(decision);
  });
});

describe('isYes', () => {
  it('takes Enter, y and yes as yes, anything else as no', () => {
    expect(['', 'y', 'Y', 'yes', ' YES\n'].map(isYes)).toEqual([true, true, true, true, true]);
    expect(['n', 'no', 'nope', 'x'].map(isYes)).toEqual([false, false, false, false]);
  });
});
