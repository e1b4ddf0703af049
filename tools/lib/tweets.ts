/**
 * @module tweets
 * Reads the Davidson et al. tweet CSVs (data/davidson-tweets) into typed rows with the tweet text
 * HTML-decoded, so the offline model learns from, and the load tools send, the characters a
 * user would actually type.
 */
import { readFileSync } from 'node:fs';
import { parseCsv } from './csv.ts';
import { decodeEntities } from './entities.ts';

export interface TweetRow {
  id: number;
  /** Number of crowd judges. */
  count: number;
  hateVotes: number;
  offensiveVotes: number;
  neitherVotes: number;
  /** Majority class: 0 = hate speech, 1 = offensive language, 2 = neither. */
  cls: 0 | 1 | 2;
  text: string;
}

/** Loads one split (train.csv or dev.csv), checking the header so a changed file fails loudly. */
export function loadTweets(path: string): TweetRow[] {
  const [header, ...records] = parseCsv(readFileSync(path, 'utf8'));
  const expected = 'id,count,hate_speech,offensive_language,neither,class,tweet';
  if (header?.join(',') !== expected) {
    throw new Error(`${path}: unexpected header ${header?.join(',')}`);
  }
  return records
    .filter((r) => r.length === 7)
    .map((r) => {
      const [id, count, hate, offensive, neither, cls, tweet] = r as [
        string, string, string, string, string, string, string,
      ];
      const c = Number(cls);
      if (c !== 0 && c !== 1 && c !== 2) throw new Error(`${path}: bad class ${cls} for id ${id}`);
      return {
        id: Number(id),
        count: Number(count),
        hateVotes: Number(hate),
        offensiveVotes: Number(offensive),
        neitherVotes: Number(neither),
        cls: c,
        text: decodeEntities(tweet),
      };
    });
}
