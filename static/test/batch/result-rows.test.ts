import { describe, expect, it } from 'vitest';
import { BY_ROW, nextSort, NO_FILTER, shownRows, type ResultRow } from '../../src/batch/result-rows.ts';

const scores = (toxic: number, insult: number) => ({ toxic, severe_toxic: 0, obscene: 0, threat: 0, insult, identity_hate: 0 });
const ROWS: ResultRow[] = [
  { row: 1, text: 'You idiot', scores: scores(0.9, 0.8) },
  { row: 2, text: 'Nice day', scores: scores(0.1, 0.05) },
  { row: 3, text: '', error: 'the text must not be empty' },
  { row: 4, text: 'Rude but not insulting', scores: scores(0.6, 0.2) },
];
const rowsOf = (rows: ResultRow[]) => rows.map((r) => r.row);

describe('shownRows', () => {
  it('sorts by a label highest first, rows without scores last, ties by row', () => {
    expect(rowsOf(shownRows(ROWS, { key: 'toxic', descending: true }, NO_FILTER, 0.5))).toEqual([1, 4, 2, 3]);
    expect(rowsOf(shownRows(ROWS, { key: 'insult', descending: false }, NO_FILTER, 0.5))).toEqual([2, 4, 1, 3]);
  });

  it('keeps flagged rows only, at the threshold given', () => {
    expect(rowsOf(shownRows(ROWS, BY_ROW, { ...NO_FILTER, flaggedOnly: true }, 0.5))).toEqual([1, 4]);
    expect(rowsOf(shownRows(ROWS, BY_ROW, { ...NO_FILTER, flaggedOnly: true }, 0.7))).toEqual([1]);
  });

  it('keeps rows flagged with one label', () => {
    expect(rowsOf(shownRows(ROWS, BY_ROW, { ...NO_FILTER, label: 'insult' }, 0.5))).toEqual([1]);
  });

  it('searches the text without regard to case', () => {
    expect(rowsOf(shownRows(ROWS, BY_ROW, { ...NO_FILTER, search: ' NICE ' }, 0.5))).toEqual([2]);
  });

  it('leaves the rows it was given in their order', () => {
    shownRows(ROWS, { key: 'toxic', descending: true }, NO_FILTER, 0.5);
    expect(rowsOf(ROWS)).toEqual([1, 2, 3, 4]);
  });
});

describe('nextSort', () => {
  it('sorts a new label highest first and flips on a second click', () => {
    const byToxic = nextSort(BY_ROW, 'toxic');
    expect(byToxic).toEqual({ key: 'toxic', descending: true });
    expect(nextSort(byToxic, 'toxic')).toEqual({ key: 'toxic', descending: false });
    expect(nextSort(byToxic, 'row')).toEqual({ key: 'row', descending: false });
  });
});
