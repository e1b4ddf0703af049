/**
 * @module labels
 * The six toxic-bert labels and how each is supervised from the Davidson columns. Only toxic and
 * identity_hate come from human votes; the other four are weak labels derived here, severe_toxic
 * from the vote pattern and the rest from short documented word lists (see model/README.md),
 * because the data set has no such annotations.
 */
import type { TweetRow } from '../../tools/lib/tweets.ts';

import { LABELS, type Label } from '../../functions/src/model/labels.ts';

// toxic-bert's output order, from its one definition; the ONNX logits and config.json id2label follow it.
export { LABELS, type Label };

/** Profanity for the weak "obscene" label: a word matches if it starts with one of these stems. */
const PROFANITY_STEMS = [
  'fuck', 'shit', 'bitch', 'cunt', 'dick', 'pussy', 'pussies', 'asshole', 'whore', 'slut', 'cock', 'twat', 'motherfuck',
];
/** Profanity that must match as a whole word, since as a stem it would hit innocent words (assume, hoedown). */
const PROFANITY_WORDS = new Set(['ass', 'asses', 'hoe', 'hoes', 'tits', 'titties']);

/** Words addressing the reader, for the weak "insult" label. */
const SECOND_PERSON = new Set(['you', 'your', 'youre', 'yours', 'yourself', 'u', 'ur', 'ya', 'yall', 'yo']);

/** Violence stems for the weak "threat" label. */
const VIOLENCE_STEMS = [
  'kill', 'murder', 'shoot', 'stab', 'punch', 'beat', 'choke', 'slap', 'smack', 'hang', 'lynch', 'strangl', 'bomb',
];

/** Letters-only lowercase words; apostrophes are dropped so "you're" and "y'all" become youre and yall. */
function words(text: string): string[] {
  return text.toLowerCase().replace(/['’]/g, '').split(/[^a-z]+/).filter((w) => w.length > 0);
}

/** An @mention that addresses someone; the "RT @user:" retweet attribution does not count. */
function addressesSomeone(text: string): boolean {
  return /@\w+/.test(text.replace(/\bRT\s+@\w+:?/gi, ''));
}

/**
 * Soft targets in [0, 1] for one tweet, in LABELS order.
 * toxic = share of judges voting hate or offensive; identity_hate = share voting hate;
 * severe_toxic = no judge said "neither" and at least one said hate. obscene, threat and insult
 * gate the toxic share by a lexical cue, so a cue word in a harmless tweet never makes a target.
 */
export function targetsFor(row: TweetRow): Float32Array {
  const toxic = (row.hateVotes + row.offensiveVotes) / row.count;
  const hate = row.hateVotes / row.count;
  const ws = words(row.text);
  const profane = ws.some((w) => PROFANITY_WORDS.has(w) || PROFANITY_STEMS.some((s) => w.startsWith(s)));
  const addressed = ws.some((w) => SECOND_PERSON.has(w)) || addressesSomeone(row.text);
  const violent = ws.some((w) => VIOLENCE_STEMS.some((s) => w.startsWith(s)));
  const severe = row.neitherVotes === 0 && row.hateVotes >= 1 ? 1 : 0;
  return Float32Array.from([
    toxic,
    severe,
    profane ? toxic : 0,
    violent ? toxic : 0,
    addressed ? toxic : 0,
    hate,
  ]);
}

/** Hard evaluation truth for the two human-voted labels: the majority class, as in the paper. */
export function majorityTruth(row: TweetRow, label: 'toxic' | 'identity_hate'): 0 | 1 {
  return label === 'toxic' ? (row.cls === 2 ? 0 : 1) : row.cls === 0 ? 1 : 0;
}

/**
 * Labels whose loss is class-balanced. Davidson et al. sampled tweets by a hate-speech lexicon, so
 * 83% are toxic and most everyday words occur mainly in toxic tweets; unbalanced, the model calls
 * plain text ("have a nice day") toxic. These three labels have that inflated base rate; the rare
 * ones (severe_toxic, threat, identity_hate) keep natural weights, which measured better for them.
 */
const BALANCED_LABELS: ReadonlySet<Label> = new Set(['toxic', 'obscene', 'insult']);

/** Weight that makes the "neither" tweets count as much as all the toxic ones together. */
export function neitherWeight(rows: readonly TweetRow[]): number {
  const neither = rows.filter((r) => r.cls === 2).length;
  return (rows.length - neither) / neither;
}

/** Per-label loss weights of one tweet: neitherWeight on the balanced labels of a "neither" tweet, else 1. */
export function lossWeights(row: TweetRow, weightOfNeither: number): Float32Array {
  return Float32Array.from(LABELS, (label) => (row.cls === 2 && BALANCED_LABELS.has(label) ? weightOfNeither : 1));
}
