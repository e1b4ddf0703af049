/**
 * @module labels
 * The six labels of unitary/toxic-bert, in the order of its logits.
 */
export const LABELS = ['toxic', 'severe_toxic', 'obscene', 'threat', 'insult', 'identity_hate'] as const;

export type Label = (typeof LABELS)[number];

/** One probability per label, keyed by label name. */
export type LabelScores = Record<Label, number>;

export function toLabelScores(probabilities: ArrayLike<number>): LabelScores {
  const scores = {} as LabelScores;
  LABELS.forEach((label, i) => {
    scores[label] = probabilities[i] ?? 0;
  });
  return scores;
}
