import { describe, expect, it } from 'vitest';
import { splitSentences } from './sentences.ts';

const texts = (text: string) => splitSentences(text).map(({ begin, end }) => text.slice(begin, end));

describe('splitSentences', () => {
  it('gives offsets into the original text, whitespace excluded', () => {
    const text = '  You idiot.   Have a nice day!  ';
    expect(splitSentences(text)).toEqual([
      { begin: 2, end: 12 },
      { begin: 15, end: 31 },
    ]);
    expect(texts(text)).toEqual(['You idiot.', 'Have a nice day!']);
  });

  it('keeps offsets right after emoji and other astral characters', () => {
    const text = 'I love this 😀. You are a 🤡 and a fool!';
    expect(texts(text)).toEqual(['I love this 😀.', 'You are a 🤡 and a fool!']);
  });

  it('treats a text without punctuation as one sentence and whitespace as none', () => {
    expect(texts('no punctuation here')).toEqual(['no punctuation here']);
    expect(splitSentences(' \n\t ')).toEqual([]);
  });

  it('splits on newlines and question marks', () => {
    expect(texts('First line\nSecond line? Third.')).toEqual(['First line', 'Second line?', 'Third.']);
  });
});
