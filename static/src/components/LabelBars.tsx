/**
 * @module LabelBars
 * One bar per label with its percentage and a tick at the threshold.
 */
import { LABELS, type Scores } from '../api.ts';
import { LABEL_NAMES, percent } from '../labels.ts';

export function LabelBars({ scores, threshold }: { scores: Scores; threshold: number }) {
  return (
    <ul class="bars" aria-label="Score per label">
      {LABELS.map((label) => {
        const score = scores[label];
        const over = score >= threshold;
        return (
          <li key={label} class={over ? 'bar over' : 'bar'} data-label={label}>
            <span class="bar-name" id={`bar-${label}`}>
              {LABEL_NAMES[label]}
            </span>
            <span
              class="bar-track"
              role="meter"
              aria-labelledby={`bar-${label}`}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={Math.round(score * 100)}
              aria-valuetext={percent(score)}
            >
              <span class="bar-fill" style={{ width: `${(score * 100).toFixed(1)}%` }} />
              <span class="bar-threshold" style={{ left: `${threshold * 100}%` }} aria-hidden="true" />
            </span>
            <span class="bar-value">{percent(score)}</span>
          </li>
        );
      })}
    </ul>
  );
}
