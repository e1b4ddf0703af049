/**
 * @module labels
 * How the page names each label, and the verdict derived from scores at a threshold (the
 * scores do not depend on the threshold, so moving the slider needs no new request).
 */
import { LABELS, type Label, type Scores } from './api.ts';

export const LABEL_NAMES: Record<Label, string> = {
  toxic: 'Toxic',
  severe_toxic: 'Severely toxic',
  obscene: 'Obscene',
  threat: 'Threat',
  insult: 'Insult',
  identity_hate: 'Identity hate',
};

export function flaggedLabels(scores: Scores, threshold: number): Label[] {
  return LABELS.filter((label) => scores[label] >= threshold);
}

export function maxScore(scores: Scores): number {
  return Math.max(...LABELS.map((label) => scores[label]));
}

export function percent(score: number): string {
  const value = score * 100;
  return `${value < 10 && value > 0 ? value.toFixed(1) : Math.round(value)}%`;
}
