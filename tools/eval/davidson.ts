/**
 * @module davidson
 * Reads the Davidson et al. tweet CSV (id,count,hate_speech,offensive_language,neither,class,tweet)
 * and maps its majority class onto toxic-bert's labels. Only two labels have a counterpart in
 * this data; the rest are reported as not evaluated rather than guessed.
 */
import { LABELS, type Label } from '../../functions/src/model/labels.ts';
import { parseCsv } from '../lib/csv.ts';
import { decodeEntities } from '../lib/entities.ts';

/** Majority vote of the judges: 0 = hate speech, 1 = offensive language, 2 = neither. */
export type DavidsonClass = 0 | 1 | 2;

export interface Tweet {
  id: string;
  /** Text with HTML entities decoded, as the model should see it. */
  text: string;
  class: DavidsonClass;
}

/** Which tweets count as positive for each label that this data can judge. */
export const GROUND_TRUTH = {
  toxic: (c: DavidsonClass) => c === 0 || c === 1,
  identity_hate: (c: DavidsonClass) => c === 0,
} satisfies Partial<Record<Label, (c: DavidsonClass) => boolean>>;

export type EvaluatedLabel = keyof typeof GROUND_TRUTH;

export const EVALUATED_LABELS = LABELS.filter((l): l is EvaluatedLabel => l in GROUND_TRUTH);
export const UNEVALUATED_LABELS = LABELS.filter((l) => !(l in GROUND_TRUTH));

const REQUIRED_COLUMNS = ['id', 'class', 'tweet'] as const;

/**
 * @example
 * readDavidson('id,count,hate_speech,offensive_language,neither,class,tweet\n7,3,0,3,0,1,"a &amp; b"\n');
 * // → [{ id: '7', text: 'a & b', class: 1 }]
 */
export function readDavidson(csvText: string): Tweet[] {
  const [header, ...rows] = parseCsv(csvText);
  if (!header) throw new Error('the CSV is empty');
  const column = Object.fromEntries(
    REQUIRED_COLUMNS.map((name) => {
      const index = header.indexOf(name);
      if (index < 0) throw new Error(`the CSV header lacks a "${name}" column (found: ${header.join(',')})`);
      return [name, index];
    }),
  ) as Record<(typeof REQUIRED_COLUMNS)[number], number>;

  return rows.map((row, r) => {
    if (row.length !== header.length) {
      throw new Error(`data row ${r + 1} has ${row.length} fields, the header has ${header.length}`);
    }
    const raw = row[column.class]!.trim();
    if (raw !== '0' && raw !== '1' && raw !== '2') {
      throw new Error(`data row ${r + 1}: class must be 0, 1 or 2, got "${raw}"`);
    }
    return { id: row[column.id]!, text: decodeEntities(row[column.tweet]!), class: Number(raw) as DavidsonClass };
  });
}
