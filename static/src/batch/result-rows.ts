/**
 * @module result-rows
 * The results table's rows and what is shown of them: filtered (flagged only, by label, by a
 * search in the text) and sorted (by row or by any label's score). Flags are worked out here
 * from the scores at the page's threshold, so moving the slider needs no new request.
 */
import { LABELS, type Label, type Scores } from '../api.ts';
import { flaggedLabels } from '../labels.ts';

/** One input row and its outcome: scores, or why it has none. */
export interface ResultRow {
  row: number;
  text: string;
  scores?: Scores;
  error?: string;
}

export type SortKey = 'row' | Label;

export interface Sort {
  key: SortKey;
  descending: boolean;
}

export interface Filter {
  flaggedOnly: boolean;
  /** Only rows flagged with this label; undefined for any. */
  label?: Label;
  /** Case-insensitive text the row's text must contain. */
  search: string;
}

export const NO_FILTER: Filter = { flaggedOnly: false, search: '' };
export const BY_ROW: Sort = { key: 'row', descending: false };

/** Labels at or above the threshold; none for a row without scores. */
export function rowLabels(row: ResultRow, threshold: number): Label[] {
  return row.scores ? flaggedLabels(row.scores, threshold) : [];
}

function matches(row: ResultRow, filter: Filter, threshold: number, needle: string): boolean {
  if (filter.flaggedOnly || filter.label) {
    const labels = rowLabels(row, threshold);
    if (filter.flaggedOnly && labels.length === 0) return false;
    if (filter.label && !labels.includes(filter.label)) return false;
  }
  return needle === '' || row.text.toLowerCase().includes(needle);
}

/** Rows without scores sort after every scored row, whichever way. */
function compare(sort: Sort): (a: ResultRow, b: ResultRow) => number {
  const sign = sort.descending ? -1 : 1;
  if (sort.key === 'row') return (a, b) => sign * (a.row - b.row);
  const label = sort.key;
  return (a, b) => {
    if (!a.scores || !b.scores) return (a.scores ? 0 : 1) - (b.scores ? 0 : 1) || a.row - b.row;
    return sign * (a.scores[label] - b.scores[label]) || a.row - b.row;
  };
}

/** @example shownRows(rows, { key: 'insult', descending: true }, { flaggedOnly: true, search: '' }, 0.5) */
export function shownRows(rows: readonly ResultRow[], sort: Sort, filter: Filter, threshold: number): ResultRow[] {
  const needle = filter.search.trim().toLowerCase();
  return rows.filter((row) => matches(row, filter, threshold, needle)).sort(compare(sort));
}

/** What clicking a column's header does: a label sorts highest first, a second click flips it. */
export function nextSort(current: Sort, key: SortKey): Sort {
  if (current.key === key) return { key, descending: !current.descending };
  return { key, descending: key !== 'row' };
}

export const SORT_KEYS: readonly SortKey[] = ['row', ...LABELS];
