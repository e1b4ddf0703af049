/**
 * @module attributes
 * Perspective's attributes and the toxic-bert label each one is served from. The _EXPERIMENTAL
 * spellings name the same models. Perspective's other attributes are known but not served: a
 * request naming one gets Perspective's own answer for an attribute that does not support the
 * request's language, or has it dropped when it asks for that (dropUnsupportedAttributes).
 */
import type { Label } from '../../model/labels.ts';

export const SERVED: Readonly<Record<string, Label>> = {
  TOXICITY: 'toxic',
  SEVERE_TOXICITY: 'severe_toxic',
  PROFANITY: 'obscene',
  THREAT: 'threat',
  INSULT: 'insult',
  IDENTITY_ATTACK: 'identity_hate',
};

/** Perspective's attributes that toxic-bert has no label for. */
export const NOT_SERVED = new Set([
  'TOXICITY_FAST',
  'SEXUALLY_EXPLICIT',
  'FLIRTATION',
  'ATTACK_ON_AUTHOR',
  'ATTACK_ON_COMMENTER',
  'ATTACK_ON_PUBLISHER',
  'INCOHERENT',
  'INFLAMMATORY',
  'LIKELY_TO_REJECT',
  'OBSCENE',
  'OFF_TOPIC',
  'SPAM',
  'UNSUBSTANTIAL',
]);

/** Languages served: English, as an ISO 639-1 code or a BCP-47 tag such as en-US. */
export const isEnglish = (language: string) => /^en(-|$)/i.test(language);

/** The attribute without the _EXPERIMENTAL suffix or an @version, as Perspective's model names it. */
function baseName(attribute: string): string {
  return attribute.replace(/@.*$/, '').replace(/_EXPERIMENTAL$/, '');
}

export type AttributeKind = { served: Label } | { notServed: true } | { unknown: true };

export function attributeKind(attribute: string): AttributeKind {
  const base = baseName(attribute);
  const label = SERVED[base];
  if (label) return { served: label };
  return NOT_SERVED.has(base) ? { notServed: true } : { unknown: true };
}
