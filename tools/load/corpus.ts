/**
 * @module corpus
 * The texts the stress scenarios send: the first tweets of the Davidson dev split, committed
 * as stress/corpus.json so k6 (which reads no CSV) and the Node driver send the very same
 * texts. bench/corpus.ts reads the CSV, so this file only decides which tweets and where.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstTweets } from '../lib/corpus.ts';
import { REPO_ROOT } from '../lib/repo.ts';
import { PLAN } from './scenarios.ts';

export const STRESS_DIR = path.dirname(fileURLToPath(import.meta.url));

export interface CorpusFile {
  source: string;
  texts: string[];
}

/** What stress/corpus.json should hold, from the CSV. */
export function buildCorpus(): CorpusFile {
  return { source: PLAN.corpus.source, texts: firstTweets(path.join(REPO_ROOT, PLAN.corpus.source), PLAN.corpus.count) };
}

/** The committed texts. */
export function loadCorpus(): string[] {
  const file = JSON.parse(readFileSync(path.join(STRESS_DIR, PLAN.corpus.file), 'utf8')) as CorpusFile;
  return file.texts;
}

/** Request i's body, as k6.js builds it: round-robin over the corpus, one text per request. */
export function requestBody(texts: readonly string[], i: number): string {
  return JSON.stringify({ text: texts[i % texts.length] });
}
