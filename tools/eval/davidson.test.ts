import { describe, expect, it } from 'vitest';
import { LABELS } from '../../functions/src/model/labels.ts';
import { EVALUATED_LABELS, GROUND_TRUTH, readDavidson, UNEVALUATED_LABELS } from './davidson.ts';

const HEADER = 'id,count,hate_speech,offensive_language,neither,class,tweet';

describe('readDavidson', () => {
  it('reads id, class and the decoded tweet, quoted commas and newlines included', () => {
    const csv = `${HEADER}\n5,3,2,1,0,0,"you &amp; your, ""friends""\nugh"\n9,3,0,0,3,2,nice day &#128514;\n`;
    expect(readDavidson(csv)).toEqual([
      { id: '5', text: 'you & your, "friends"\nugh', class: 0 },
      { id: '9', text: 'nice day 😂', class: 2 },
    ]);
  });

  it('finds the columns by name, not position', () => {
    expect(readDavidson('tweet,class,id\nhello,1,3\n')).toEqual([{ id: '3', text: 'hello', class: 1 }]);
  });

  it('rejects a missing column, a short row and a class outside 0–2, naming the problem', () => {
    expect(() => readDavidson('id,tweet\n1,x\n')).toThrow(/lacks a "class" column/);
    expect(() => readDavidson(`${HEADER}\n1,3,0,3,0,1\n`)).toThrow(/data row 1 has 6 fields/);
    expect(() => readDavidson(`${HEADER}\n1,3,0,3,0,3,x\n`)).toThrow(/class must be 0, 1 or 2, got "3"/);
    expect(() => readDavidson(`${HEADER}\n1,3,0,3,0,,x\n`)).toThrow(/class must be 0, 1 or 2, got ""/);
    expect(() => readDavidson('')).toThrow(/empty/);
  });
});

describe('ground truth', () => {
  it('calls hate and offensive majorities toxic, and only hate majorities identity_hate', () => {
    expect([0, 1, 2].map((c) => GROUND_TRUTH.toxic(c as 0 | 1 | 2))).toEqual([true, true, false]);
    expect([0, 1, 2].map((c) => GROUND_TRUTH.identity_hate(c as 0 | 1 | 2))).toEqual([true, false, false]);
  });

  it('splits the six labels into the two evaluated and the four without ground truth', () => {
    expect(EVALUATED_LABELS).toEqual(['toxic', 'identity_hate']);
    expect(UNEVALUATED_LABELS).toEqual(['severe_toxic', 'obscene', 'threat', 'insult']);
    expect([...EVALUATED_LABELS, ...UNEVALUATED_LABELS].sort()).toEqual([...LABELS].sort());
  });
});
