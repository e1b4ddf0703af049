/**
 * @module entities
 * Decodes the HTML character references found in scraped tweets (&amp; &lt; &#8220; &#x1F602;)
 * so the model scores the text a reader saw, not its escaped form.
 */

/** The named references that occur in tweet dumps; other names are left as written. */
const NAMED = new Map([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
  ['nbsp', '\u00a0'],
]);

function fromCodePoint(code: number): string | undefined {
  // NUL, lone surrogates and values past Unicode are not text; keep the reference as written.
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
  return String.fromCodePoint(code);
}

/**
 * Decodes in a single pass, as a browser does: "&amp;lt;" becomes "&lt;", not "<".
 * @example
 * decodeEntities('Tom &amp; Jerry &#8220;hi&#8221; &#128514;'); // → 'Tom & Jerry “hi” 😂'
 */
export function decodeEntities(text: string): string {
  return text.replace(/&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));/g, (whole, dec, hex, name) => {
    const decoded =
      dec !== undefined
        ? fromCodePoint(Number.parseInt(dec, 10))
        : hex !== undefined
          ? fromCodePoint(Number.parseInt(hex, 16))
          : NAMED.get(name as string);
    return decoded ?? whole;
  });
}
