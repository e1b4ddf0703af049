/**
 * @module Verdict
 * The answer at a glance: toxic or not at the threshold, which labels, and how long it took.
 */
import type { Label } from '../api.ts';
import { LABEL_NAMES } from '../labels.ts';

export function Verdict({ labels, tookMs, windows }: { labels: Label[]; tookMs: number; windows: number }) {
  const toxic = labels.length > 0;
  return (
    <div class={toxic ? 'verdict toxic' : 'verdict clean'} data-verdict={toxic ? 'toxic' : 'clean'}>
      <span class="verdict-icon" aria-hidden="true">
        {toxic ? '!' : '✓'}
      </span>
      <div>
        <h2 class="verdict-title">{toxic ? 'Toxic' : 'Not toxic'}</h2>
        <p class="verdict-detail">
          {toxic ? `Flagged as ${labels.map((l) => LABEL_NAMES[l].toLowerCase()).join(', ')}.` : 'No label reaches the threshold.'}{' '}
          <span class="took">Checked in {tookMs < 1000 ? `${Math.round(tookMs)} ms` : `${(tookMs / 1000).toFixed(1)} s`}.</span>
          {windows > 1 && ` The text was long, so it was read in ${windows} parts of whole sentences.`}
        </p>
      </div>
    </div>
  );
}
