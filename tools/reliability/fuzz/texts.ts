/**
 * @module texts
 * Raw material for the fuzz cases: ordinary words, Unicode that is valid but unusual (the
 * tokenizer and the sentence splitter must cope), and byte sequences that are not UTF-8 at all
 * (the function must refuse them as such, not crash or guess).
 */
import type { Random } from './random.ts';

const WORDS = [
  'the', 'a', 'you', 'are', 'is', 'this', 'that', 'what', 'really', 'very', 'not', 'and', 'but',
  'nice', 'kind', 'lovely', 'friend', 'thanks', 'help', 'day', 'weather', 'game', 'music', 'team',
  'stupid', 'idiot', 'hate', 'ugly', 'shut', 'up', 'worthless', 'moron', 'trash', 'loser',
  'RT', '@someone', '#tag', 'lol', 'smh', 'https://t.co/x', '!!!', '?', '...', '2024', '42',
];

/** A few words, sometimes several sentences: what a person might type. */
export function words(r: Random, min = 1, max = 30): string {
  const count = r.int(min, max);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.push(r.pick(WORDS));
    if (r.chance(0.1)) out.push(r.pick(['.', '!', '?', '\n']));
  }
  return out.join(' ');
}

/** Exactly `count` code points of word-like text (for the 20,000-character limit). */
export function codePoints(r: Random, count: number, alphabet: 'ascii' | 'emoji' | 'cjk' = 'ascii'): string {
  if (alphabet === 'emoji') return '😀'.repeat(count);
  if (alphabet === 'cjk') return '漢字'.repeat(Math.ceil(count / 2)).slice(0, count);
  let text = '';
  while (text.length < count) text += `${r.pick(WORDS)} `;
  return text.slice(0, count - 1) + 'x';
}

/** Valid Unicode that is easy to get wrong, each a small piece to mix into a text. */
export const UNICODE_PIECES: Readonly<Record<string, readonly string[]>> = {
  combining: ['e\u0301', 'a\u0300\u0301\u0302\u0303\u0304', 'Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324\u031e\u0349\u035a', 'n\u0303'.repeat(50), `x${'\u0336'.repeat(300)}`],
  bidi: ['\u202eevil\u202c', '\u202dforced\u202c', '\u2066isolate\u2069', '\u200f\u200e', '\u061c', 'שלום עולם', 'مرحبا بالعالم', 'abc\u202edcba'],
  emoji: ['👩‍👩‍👧‍👦', '🏳️‍🌈', '👍🏽', '🇫🇷🇩🇪', '1️⃣', '🧑🏿‍🚀', '❤️‍🔥', '😀'.repeat(20)],
  control: ['\u0000', 'a\u0000b', '\u0001\u0002\u001f', '\u007f', '\u0085', '\u009b', '\u001b[31mred\u001b[0m', '\r\n\t'],
  loneSurrogate: ['\ud800', '\udfff', '\udc00\ud800', 'a\ud83db', '\ud83d'],
  nonCharacter: ['\ufffe', '\uffff', '\u{10ffff}', '\ufdd0', '\u{1fffe}'],
  invisible: ['\ufeff', '\u200b', '\u200c', '\u200d', '\u2060', '\u00ad', '\u180e'],
  spaces: ['\u3000', '\u00a0', '\u2028', '\u2029', '\u2003', '\u205f'],
  lookalike: ['𝕳𝖊𝖑𝖑𝖔', 'ｈｅｌｌｏ', 'іdіоt', 'ⓘⓓⓘⓞⓣ', 'ɐpsᴉpn'],
  script: ['漢字かなカナ', 'ภาษาไทย', 'हिन्दी', '한국어', 'Ελληνικά', 'ქართული', '𓀀𓀁'],
  tagsAndSelectors: ['\u{e0041}\u{e0042}', '\ufe0f', '\u{e0100}', '\ue000', '\u{f0000}', '\u{100000}'],
};

export type UnicodeFamily = keyof typeof UNICODE_PIECES;

/** Words with 1 to 4 unusual pieces mixed in; never blank once trimmed (that would be a 400). */
export function unicodeText(r: Random): { text: string; families: string[] } {
  const families: string[] = [];
  const parts: string[] = r.chance(0.7) ? [words(r, 0, 10)] : [];
  const pieces = r.int(1, 4);
  for (let i = 0; i < pieces; i++) {
    const family = r.pick(Object.keys(UNICODE_PIECES));
    families.push(family);
    const piece = r.pick(UNICODE_PIECES[family]!);
    parts.splice(r.int(0, parts.length), 0, piece.repeat(r.chance(0.2) ? r.int(2, 40) : 1));
  }
  let text = parts.join(r.pick([' ', '', '\n']));
  if (text.trim().length === 0) text += 'x';
  return { text, families };
}

/** Byte sequences that no UTF-8 decoder may accept, by what is wrong with them. */
export const INVALID_UTF8: Readonly<Record<string, readonly number[][]>> = {
  overlong: [[0xc0, 0xaf], [0xc1, 0xbf], [0xe0, 0x80, 0xaf], [0xf0, 0x80, 0x80, 0xaf], [0xc0, 0x80], [0xe0, 0x9f, 0xbf]],
  surrogate: [[0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], [0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80]],
  truncated: [[0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xc3], [0xf4, 0x8f, 0xbf]],
  continuation: [[0x80], [0xbf], [0x80, 0x80, 0x80], [0x61, 0x9f, 0x62]],
  invalidByte: [[0xfe], [0xff], [0xf5, 0x80, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xfc, 0x84, 0x80, 0x80, 0x80, 0x80]],
  aboveMax: [[0xf4, 0x90, 0x80, 0x80], [0xf7, 0xbf, 0xbf, 0xbf]],
  latin1: [[0x63, 0x61, 0x66, 0xe9], [0xfc, 0x62, 0x65, 0x72]],
};

/** `\uXXXX` for every character outside printable ASCII: the same JSON, ASCII only. */
export function escapeNonAscii(json: string): string {
  return json.replace(/[^\x20-\x7e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
