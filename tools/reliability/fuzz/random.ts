/**
 * @module random
 * The fuzzer's source of randomness: the project's seeded PRNG (mulberry32) with the draws a
 * generator needs. Each case gets its own generator seeded from (run seed, case number), so case
 * 1234 of seed 7 is the same bytes whatever ran before it, and can be replayed alone.
 */
import { Prng } from '../../../model/train/prng.ts';

export class Random {
  readonly #prng: Prng;

  constructor(seed: number) {
    this.#prng = new Prng(seed);
  }

  /** The generator of case `id` in the run seeded with `seed`. */
  static forCase(seed: number, id: number): Random {
    // A 32-bit mix (murmur3's finaliser) so neighbouring ids do not get neighbouring streams.
    let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ id) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    return new Random((h ^ (h >>> 16)) >>> 0);
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.#prng.next();
  }

  /** Uniform integer from min to max, both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.#prng.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.#prng.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.#prng.next() * items.length)]!;
  }

  /** One of `weighted`'s keys, with probability proportional to its weight. */
  weighted<K extends string>(weighted: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weighted) as Array<[K, number]>;
    let left = this.#prng.next() * entries.reduce((sum, [, w]) => sum + w, 0);
    for (const [key, weight] of entries) {
      left -= weight;
      if (left < 0) return key;
    }
    return entries.at(-1)![0];
  }

  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = Math.floor(this.#prng.next() * 256);
    return out;
  }
}
