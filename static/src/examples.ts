/**
 * @module examples
 * Texts a visitor can try with one click.
 */
export const EXAMPLES = [
  { name: 'Friendly', text: 'Thanks so much for helping me move last weekend. Dinner is on me next time!' },
  { name: 'Insult', text: 'You are a pathetic idiot and nobody wants you here.' },
  { name: 'Mixed', text: 'Great game today. The referee is a stupid useless moron!' },
  { name: 'Threat', text: 'If you show up here again I will hurt you.' },
] as const;
