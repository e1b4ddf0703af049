/**
 * @module corpus
 * The texts the tools send: tweets of the Davidson dev split, as a user would type them. The
 * load scenarios' texts are committed as corpus.json beside this file, so k6 (which reads no
 * CSV), the Node load driver and the benchmarks send the very same texts; parsing is
 * tweets.ts' reader (tweets hold quoted commas, doubled quotes and newlines), so the tools and
 * the offline model read the CSV alike.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './repo.ts';
import { loadTweets } from './tweets.ts';

/** The split the tools draw from, relative to the repository root. */
export const CORPUS_SOURCE = 'data/davidson-tweets/dev.csv';
/** How many of its first tweets corpus.json holds. */
export const CORPUS_SIZE = 300;
export const CORPUS_FILE = path.join(REPO_ROOT, 'tools/lib/corpus.json');

export interface CorpusFile {
  source: string;
  texts: string[];
}

/** Every non-empty tweet of the split, in file order. */
export function devTweets(): string[] {
  return loadTweets(path.join(REPO_ROOT, CORPUS_SOURCE))
    .map((row) => row.text)
    .filter((text) => text.trim().length > 0);
}

/** The first `count` of them; throws when the split holds fewer. */
export function firstTweets(count: number): string[] {
  const texts = devTweets().slice(0, count);
  if (texts.length < count) throw new Error(`${CORPUS_SOURCE}: wanted ${count} tweets, found ${texts.length}`);
  return texts;
}

/** What corpus.json should hold, from the CSV (`npm run stress:export` writes it). */
export function buildCorpus(): CorpusFile {
  return { source: CORPUS_SOURCE, texts: firstTweets(CORPUS_SIZE) };
}

/** The committed texts. */
export function loadCorpus(): string[] {
  return (JSON.parse(readFileSync(CORPUS_FILE, 'utf8')) as CorpusFile).texts;
}

/** Request i's body, as k6.js builds it: round-robin over the corpus, one text per request. */
export function requestBody(texts: readonly string[], i: number): string {
  return JSON.stringify({ text: texts[i % texts.length] });
}
