/**
 * @module LabelBars
 * One bar per label with its percentage and a tick at the threshold.
 */
import { LABELS, type Scores } from '../api.ts';
import { LABEL_NAMES, percent } from '../labels.ts';
import { ScoreBar } from './ScoreBar.tsx';

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
            <ScoreBar score={score} threshold={threshold} labelledBy={`bar-${label}`} />
            <span class="bar-value">{percent(score)}</span>
          </li>
        );
      })}
    </ul>
  );
}
