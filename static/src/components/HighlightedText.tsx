/**
 * @module HighlightedText
 * The submitted text with the sentences that carry the score marked, using the character
 * offsets the API returns in `spans`.
 */
import type { Span } from '../api.ts';
import { flaggedLabels, LABEL_NAMES, maxScore, percent } from '../labels.ts';

export function HighlightedText({ text, spans, threshold }: { text: string; spans: Span[]; threshold: number }) {
  const parts = [];
  let at = 0;
  for (const span of spans) {
    if (span.begin > at) parts.push(text.slice(at, span.begin));
    const labels = flaggedLabels(span.scores, threshold);
    const sentence = text.slice(span.begin, span.end);
    if (labels.length > 0) {
      const why = labels.map((l) => `${LABEL_NAMES[l]} ${percent(span.scores[l])}`).join(', ');
      parts.push(
        <mark key={span.begin} title={why} data-score={maxScore(span.scores).toFixed(3)}>
          {sentence}
          <span class="sr-only"> (flagged: {why})</span>
        </mark>,
      );
    } else {
      parts.push(sentence);
    }
    at = span.end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return <p class="highlighted">{parts}</p>;
}
