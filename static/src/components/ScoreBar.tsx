/**
 * @module ScoreBar
 * One score as a bar with a tick at the threshold, for a person and for a screen reader (a
 * meter named by the element `labelledBy` points at, or by `label`).
 */
import { percent } from '../labels.ts';

type Name = { labelledBy: string; label?: never } | { label: string; labelledBy?: never };

export function ScoreBar({ score, threshold, ...name }: { score: number; threshold: number } & Name) {
  return (
    <span
      class="bar-track"
      role="meter"
      aria-labelledby={name.labelledBy}
      aria-label={name.label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(score * 100)}
      aria-valuetext={percent(score)}
    >
      <span class="bar-fill" style={{ width: `${(score * 100).toFixed(1)}%` }} />
      <span class="bar-threshold" style={{ left: `${threshold * 100}%` }} aria-hidden="true" />
    </span>
  );
}
