import { describe, expect, it } from 'vitest';
import { EXIT } from '../exit-codes.ts';
import { checkContinuable, type RunMeta } from './meta.ts';

const META: RunMeta = {
  tool: 'toxicity-monitor score',
  model: { id: 'unitary/toxic-bert', dtype: 'q8', offline: false, sha256: 'a'.repeat(64), revision: null },
  source: 'http://localhost:8080',
  threshold: 0.5,
  input: { file: 'data/dev.csv', bytes: 1000, format: 'csv', column: 'tweet', id_column: 'id' },
  output: { format: 'csv', columns: ['row'] },
  started_at: '2026-01-01T00:00:00.000Z',
  finished_at: null,
  rows: null,
};

describe('checkContinuable', () => {
  it('lets the same run go on, from another folder and another service', () => {
    expect(() => checkContinuable('o.csv', META, { ...META, source: 'in process', input: { ...META.input, file: '/abs/data/dev.csv' } })).not.toThrow();
  });

  it('refuses another model (exit 5)', () => {
    const other = { ...META, model: { ...META.model, sha256: 'b'.repeat(64) } };
    expect(() => checkContinuable('o.csv', META, other)).toThrow(expect.objectContaining({ exitCode: EXIT.model }));
  });

  it('refuses other options or a changed input, naming each (exit 6)', () => {
    const other = { ...META, threshold: 0.7, input: { ...META.input, bytes: 1200, column: 'text' } };
    expect(() => checkContinuable('o.csv', META, other)).toThrow(
      expect.objectContaining({ exitCode: EXIT.output, message: expect.stringContaining('--threshold 0.5, an input of 1000 bytes (it now has 1200), --column tweet') }),
    );
  });
});
