import { describe, expect, it } from 'vitest';
import { EXIT, ScoreError } from './exit-codes.ts';
import { parseScoreArgs } from './options.ts';

function refusal(args: string[]): string {
  try {
    parseScoreArgs(args);
  } catch (error) {
    if (error instanceof ScoreError && error.exitCode === EXIT.usage) return error.message;
    throw error;
  }
  throw new Error('expected a usage error');
}

describe('parseScoreArgs', () => {
  it('reads a full command line', () => {
    expect(
      parseScoreArgs(['in.csv', '-o', 'out.jsonl', '-c', 'tweet', '--id-column', 'id', '--threshold', '0.7', '--url', 'http://127.0.0.1:18080', '--expect-model', 'ABCDEF12', '--resume']),
    ).toMatchObject({
      input: 'in.csv',
      output: 'out.jsonl',
      outputFormat: 'jsonl',
      column: 'tweet',
      idColumn: 'id',
      threshold: 0.7,
      url: 'http://127.0.0.1:18080',
      expectModel: 'abcdef12',
      resume: true,
      local: false,
      batchSize: 32,
      concurrency: undefined,
      giveUpAfterMs: 300_000,
    });
  });

  it('returns nothing for --help', () => {
    expect(parseScoreArgs(['--help'])).toBeUndefined();
  });

  it.each([
    [['-o', 'out.csv'], 'name the input file'],
    [['in.csv'], 'name the output file with -o'],
    [['in.csv', '-o', 'out.txt'], 'cannot tell the output format'],
    [['in.csv', '-o', 'o.csv', '--threshold', '2'], '--threshold must be a number from 0 to 1'],
    [['in.csv', '-o', 'o.csv', '--batch-size', '33'], '--batch-size must be an integer from 1 to 32'],
    [['in.csv', '-o', 'o.csv', '--format', 'xml'], '--format must be csv, jsonl, text'],
    [['in.csv', '-o', 'o.csv', '--resume', '--overwrite'], 'contradict'],
    [['in.csv', '-o', 'o.csv', '--local', '--url', 'http://x'], 'give one'],
    [['in.csv', '-o', 'o.csv', '--expect-model', 'abc'], 'at least its first 8 hex digits'],
    [['in.csv', '-o', 'o.csv', '--url', 'ftp://x'], 'http(s) URL'],
    [['in.csv', '-o', 'o.csv', '--colum', 'x'], "Unknown option '--colum'"],
  ])('refuses %j (exit 2)', (args, message) => {
    expect(refusal(args)).toContain(message);
  });
});
