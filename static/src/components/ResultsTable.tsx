/**
 * @module ResultsTable
 * The scored rows as a table that renders only the rows in view (plus a few either side), so
 * 10,000 rows scroll as smoothly as 10: rows have one fixed height, and two spacer rows stand
 * in for the rest. Each label's header sorts by it; a row's text opens it in "One text".
 * Tab reaches only the rows rendered, so the arrow keys move between rows, through all of them.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { LABELS } from '../api.ts';
import type { ResultRow, Sort, SortKey } from '../batch/result-rows.ts';
import { LABEL_NAMES, percent } from '../labels.ts';
import { ScoreBar } from './ScoreBar.tsx';

/** Must match `.result-row` in styles.css. */
export const ROW_HEIGHT = 48;
/** Rows rendered beyond each edge of the view, so a fast scroll does not show blanks. */
const OVERSCAN = 6;
const COLUMNS = 2 + LABELS.length;

interface ResultsTableProps {
  rows: readonly ResultRow[];
  sort: Sort;
  threshold: number;
  onSort(key: SortKey): void;
  onOpen(row: ResultRow): void;
}

function SortHeader({ name, sortKey, sort, onSort }: { name: string; sortKey: SortKey; sort: Sort; onSort(key: SortKey): void }) {
  const active = sort.key === sortKey;
  return (
    <th scope="col" aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'} class={sortKey === 'row' ? 'col-row' : 'col-score'}>
      <button type="button" class="sort" onClick={() => onSort(sortKey)} data-sort={sortKey}>
        {name}
        <span aria-hidden="true">{active ? (sort.descending ? ' ↓' : ' ↑') : ''}</span>
      </button>
    </th>
  );
}

interface RowProps {
  row: ResultRow;
  index: number;
  threshold: number;
  onOpen(row: ResultRow): void;
  onArrow(step: number): void;
  onFocusRow(index: number): void;
}

const STEPS: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10 };

function Row({ row, index, threshold, onOpen, onArrow, onFocusRow }: RowProps) {
  return (
    <tr class="result-row" aria-rowindex={index + 2} data-row={row.row} onClick={() => onOpen(row)}>
      <td class="col-row">{row.row}</td>
      <td class="col-text">
        <button
          type="button"
          class="row-open"
          title={row.text}
          data-index={index}
          onClick={(e) => (e.stopPropagation(), onOpen(row))}
          onFocus={() => onFocusRow(index)}
          onKeyDown={(e) => {
            const step = STEPS[e.key];
            if (step === undefined) return;
            e.preventDefault();
            onArrow(step);
          }}
        >
          {row.text || '(empty)'}
        </button>
      </td>
      {row.scores ? (
        LABELS.map((label) => (
          <td key={label} class={row.scores![label] >= threshold ? 'col-score over' : 'col-score'} data-label={label}>
            <span class="cell-score">
              <ScoreBar score={row.scores![label]} threshold={threshold} label={LABEL_NAMES[label]} />
              <span class="cell-value">{percent(row.scores![label])}</span>
            </span>
          </td>
        ))
      ) : (
        <td colSpan={LABELS.length} class="row-error">
          Not scored: {row.error}
        </td>
      )}
    </tr>
  );
}

export function ResultsTable({ rows, sort, threshold, onSort, onOpen }: ResultsTableProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  /** The row to focus once it is rendered, after an arrow key. */
  const [focusIndex, setFocusIndex] = useState<number | null>(null);
  /**
   * The row the keys move from: the one last focused or moved to. Keys pressed before the
   * moved-to row is rendered and focused still reach the old one, and must not count from it.
   */
  const current = useRef(0);
  /** Set while this component moves the focus itself, which must not reset `current`. */
  const focusing = useRef(false);

  useEffect(() => {
    const element = scroller.current!;
    const observer = new ResizeObserver(() => setHeight(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // Once the row is rendered (the scroll that brings it may take a render), focus it, once:
  // scrolling away afterwards must not pull the focus, and the view, back.
  useEffect(() => {
    if (focusIndex === null) return;
    const target = scroller.current?.querySelector<HTMLButtonElement>(`.row-open[data-index="${focusIndex}"]`);
    if (!target) return;
    focusing.current = true;
    target.focus();
    focusing.current = false;
    // A key pressed since this render has asked for another row: that request stands.
    setFocusIndex((pending) => (pending === focusIndex ? null : pending));
  }, [focusIndex, scrollTop]);

  function moveFocus(step: number) {
    const to = Math.max(0, Math.min(rows.length - 1, current.current + step));
    current.current = to;
    const element = scroller.current!;
    // Below the sticky header row, which covers the top of the scrolled area.
    const header = element.querySelector('thead')?.clientHeight ?? 0;
    const top = to * ROW_HEIGHT;
    if (top < element.scrollTop) element.scrollTop = top;
    else if (top + ROW_HEIGHT + header > element.scrollTop + element.clientHeight) element.scrollTop = top + ROW_HEIGHT + header - element.clientHeight;
    setScrollTop(element.scrollTop);
    setFocusIndex(to);
  }

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);

  return (
    <div class="table-scroll" ref={scroller} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} tabIndex={0} role="region" aria-label="Scored texts">
      <table class="results-table" aria-rowcount={rows.length + 1}>
        <thead>
          <tr aria-rowindex={1}>
            <SortHeader name="Row" sortKey="row" sort={sort} onSort={onSort} />
            <th scope="col" class="col-text">
              Text
            </th>
            {LABELS.map((label) => (
              <SortHeader key={label} name={LABEL_NAMES[label]} sortKey={label} sort={sort} onSort={onSort} />
            ))}
          </tr>
        </thead>
        <tbody>
          {first > 0 && (
            <tr aria-hidden="true" class="spacer" style={{ height: `${first * ROW_HEIGHT}px` }}>
              <td colSpan={COLUMNS} />
            </tr>
          )}
          {rows.slice(first, last).map((row, k) => (
            <Row key={row.row} row={row} index={first + k} threshold={threshold} onOpen={onOpen} onArrow={moveFocus} onFocusRow={(index) => focusing.current || (current.current = index)} />
          ))}
          {last < rows.length && (
            <tr aria-hidden="true" class="spacer" style={{ height: `${(rows.length - last) * ROW_HEIGHT}px` }}>
              <td colSpan={COLUMNS} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
