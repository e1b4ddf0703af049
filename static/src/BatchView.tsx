/**
 * @module BatchView
 * "Many texts": texts pasted or read from a file, scored through the API with a progress bar
 * and a Cancel button, then a table to sort, filter, open a row from and download as CSV.
 */
import { useMemo, useRef, useState } from 'preact/hooks';
import type { OutputRow } from '../../cli/score/output/output-row.ts';
import { Unauthorized } from '../../cli/score/service-scorer.ts';
import { KeyRequired, type ModelInfo } from './api.ts';
import { storedKey } from './api-key.ts';
import { exportCsv } from './batch/export-csv.ts';
import type { BatchRow } from './batch/parse-input.ts';
import { BY_ROW, nextSort, NO_FILTER, shownRows, type Filter, type ResultRow, type Sort } from './batch/result-rows.ts';
import { failureMessage, scoreRows } from './batch/score-rows.ts';
import { BatchInput } from './components/BatchInput.tsx';
import { ResultsFilter } from './components/ResultsFilter.tsx';
import { ResultsTable } from './components/ResultsTable.tsx';
import { ThresholdSlider } from './components/ThresholdSlider.tsx';

type Run =
  | { kind: 'idle' }
  | { kind: 'running'; total: number }
  | { kind: 'done'; total: number; tookMs: number }
  | { kind: 'cancelled'; total: number }
  | { kind: 'failed'; total: number; message: string };

/** Results reach the table at most this often while scoring: one render per batch would be 300 for 10,000 rows. */
const SHOW_EVERY_MS = 250;

interface BatchViewProps {
  model: ModelInfo | null;
  threshold: number;
  onThreshold(value: number): void;
  onOpen(text: string): void;
  /** The service answered 401: the page asks for a key. */
  onKeyNeeded(message: string): void;
}

function displayText(text: unknown): string {
  if (typeof text === 'string') return text;
  return text === undefined || text === null ? '' : JSON.stringify(text);
}

function download(csv: string) {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = 'toxicity-scores.csv';
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function BatchView({ model, threshold, onThreshold, onOpen, onKeyNeeded }: BatchViewProps) {
  const [run, setRun] = useState<Run>({ kind: 'idle' });
  const [results, setResults] = useState<ResultRow[]>([]);
  const [sort, setSort] = useState<Sort>(BY_ROW);
  const [filter, setFilter] = useState<Filter>(NO_FILTER);
  const controller = useRef<AbortController | null>(null);

  const shown = useMemo(() => shownRows(results, sort, filter, threshold), [results, sort, filter, threshold]);

  async function score(rows: BatchRow[]) {
    if (!model) {
      setRun({ kind: 'failed', total: rows.length, message: 'The service is not answering yet. Try again in a moment.' });
      return;
    }
    const stop = new AbortController();
    controller.current = stop;
    const collected: ResultRow[] = [];
    let shownAt = 0;
    const show = () => {
      shownAt = performance.now();
      setResults([...collected]);
    };
    const onRows = (done: OutputRow[]) => {
      // Rows are numbered from 1 in input order, so a row's number finds its text.
      for (const out of done) collected.push({ row: out.row, text: displayText(rows[out.row - 1]!.text), scores: out.result?.scores, error: out.error });
      if (performance.now() - shownAt > SHOW_EVERY_MS) show();
    };
    setResults([]);
    setRun({ kind: 'running', total: rows.length });
    const began = performance.now();
    try {
      const ended = await scoreRows(rows, { model, stop: stop.signal, onRows });
      setRun(ended === 'done' ? { kind: 'done', total: rows.length, tookMs: performance.now() - began } : { kind: 'cancelled', total: rows.length });
    } catch (error) {
      if (error instanceof Unauthorized) onKeyNeeded(new KeyRequired(storedKey() !== null).message);
      setRun({ kind: 'failed', total: rows.length, message: failureMessage(error) });
    } finally {
      show();
      controller.current = null;
    }
  }

  const running = run.kind === 'running';
  return (
    <>
      <BatchInput busy={running} onScore={score} />

      {run.kind !== 'idle' && (
        <section class="card batch-status" aria-label="Progress">
          <div class="progress-line">
            <label for="batch-progress" id="batch-progress-label">
              {running ? 'Scoring…' : run.kind === 'done' ? 'Done.' : run.kind === 'cancelled' ? 'Cancelled.' : 'Stopped.'}{' '}
              {results.length.toLocaleString('en')} of {run.total.toLocaleString('en')} texts
              {run.kind === 'done' && ` in ${(run.tookMs / 1000).toFixed(1)} s`}.
            </label>
            {running && (
              <button type="button" class="chip" onClick={() => controller.current?.abort()}>
                Cancel
              </button>
            )}
          </div>
          <progress id="batch-progress" max={run.total} value={results.length} data-testid="batch-progress" />
          {run.kind === 'failed' && (
            <p class="field-error" role="alert">
              {run.message}
            </p>
          )}
        </section>
      )}

      {results.length > 0 && (
        <section class="card batch-results" aria-label="Results">
          <div class="results-toolbar">
            <ResultsFilter filter={filter} onChange={setFilter} />
            <ThresholdSlider id="batch-threshold" value={threshold} onChange={onThreshold} />
          </div>
          <div class="results-summary">
            <span role="status" data-testid="shown-count">
              Showing {shown.length.toLocaleString('en')} of {results.length.toLocaleString('en')} texts.
            </span>
            <button type="button" class="chip" onClick={() => download(exportCsv(shown, threshold))} disabled={shown.length === 0}>
              Download CSV
            </button>
          </div>
          <ResultsTable rows={shown} sort={sort} threshold={threshold} onSort={(key) => setSort(nextSort(sort, key))} onOpen={(row) => onOpen(row.text)} />
          <p class="threshold-note">Select a text to see it in “One text” with its sentences highlighted.</p>
        </section>
      )}
    </>
  );
}
