/**
 * @module export-csv
 * "Download CSV": the rows shown, in the order shown, as a CSV that Excel opens as UTF-8 (a
 * byte-order mark, CRLF line ends). Built in the browser; nothing is uploaded.
 */
import { stringify } from 'csv-stringify/browser/esm/sync';
import { LABELS } from '../api.ts';
import { rowLabels, type ResultRow } from './result-rows.ts';

export const EXPORT_COLUMNS = ['row', 'text', ...LABELS, 'flagged', 'labels', 'error'] as const;

/** @example new Blob([exportCsv(rows, 0.5)], { type: 'text/csv' }) */
export function exportCsv(rows: readonly ResultRow[], threshold: number): string {
  const records = rows.map((row) => {
    const labels = rowLabels(row, threshold);
    return [
      row.row,
      row.text,
      ...LABELS.map((label) => (row.scores ? row.scores[label] : '')),
      row.scores ? String(labels.length > 0) : '',
      labels.join(' '),
      row.error ?? '',
    ];
  });
  return '\uFEFF' + stringify([[...EXPORT_COLUMNS], ...records], { record_delimiter: 'windows' });
}
