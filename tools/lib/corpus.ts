/**
 * @module corpus
 * The benchmark's inputs: the first tweets of the Davidson dev split, as a user would type
 * them. Parsing is model/train/dataset.ts' reader (tweets hold quoted commas,
 * doubled quotes and newlines), so the benchmark and the offline model read the CSV alike.
 */
import { loadTweets } from './tweets.ts';

export function firstTweets(csvPath: string, count: number): string[] {
  const texts = loadTweets(csvPath)
    .map((row) => row.text)
    .filter((text) => text.trim().length > 0)
    .slice(0, count);
  if (texts.length < count) throw new Error(`${csvPath}: wanted ${count} tweets, found ${texts.length}`);
  return texts;
}
