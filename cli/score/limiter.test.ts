import { describe, expect, it } from 'vitest';
import { createLimiter } from './limiter.ts';

describe('createLimiter', () => {
  it('allows `limit` slots, and one more after each round of that many successes, up to max', () => {
    const limiter = createLimiter({ initial: 2, max: 3 });
    expect([limiter.tryTake(), limiter.tryTake(), limiter.tryTake()]).toEqual([true, true, false]);
    limiter.succeeded();
    expect(limiter.limit).toBe(2);
    limiter.succeeded();
    expect(limiter.limit).toBe(3);
    expect(limiter.tryTake()).toBe(true);
    for (let i = 0; i < 10; i++) limiter.succeeded();
    expect(limiter.limit).toBe(3);
  });

  it('halves once when throttled, ignoring answers to requests sent before the cut', () => {
    let clock = 0;
    const limiter = createLimiter({ initial: 8, max: 8 }, () => clock);
    clock = 10;
    limiter.throttled(5);
    expect(limiter.limit).toBe(4);
    limiter.throttled(7);
    expect(limiter.limit).toBe(4);
    limiter.throttled(11);
    expect(limiter.limit).toBe(2);
    limiter.throttled(12);
    clock = 20;
    limiter.throttled(30);
    expect(limiter.limit).toBe(1);
  });

  it('wakes a waiter when a slot is given back', async () => {
    const limiter = createLimiter({ initial: 1, max: 1 });
    limiter.tryTake();
    const woken = limiter.freed().then(() => limiter.hasRoom());
    limiter.give();
    expect(await woken).toBe(true);
  });
});
