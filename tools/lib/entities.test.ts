import { describe, expect, it } from 'vitest';
import { decodeEntities } from './entities.ts';

describe('decodeEntities', () => {
  it('decodes the named references found in tweets', () => {
    expect(decodeEntities('Tom &amp; Jerry &lt;3 &gt;_&gt; &quot;x&quot; it&apos;s a&nbsp;b')).toBe(
      'Tom & Jerry <3 >_> "x" it\'s a\u00a0b',
    );
  });

  it('decodes decimal and hexadecimal references, beyond the BMP too', () => {
    expect(decodeEntities('&#8220;hi&#8221; &#128514; &#x1F602; &#X41;')).toBe('“hi” 😂 😂 A');
  });

  it('decodes once, so an escaped reference stays a reference', () => {
    expect(decodeEntities('&amp;lt; &amp;#8220;')).toBe('&lt; &#8220;');
  });

  it('leaves unknown names, missing semicolons and impossible code points as written', () => {
    for (const text of ['&bogus;', '&constructor;', 'AT&T', '&amp', '&#0;', '&#55357;', '&#1114112;', '&#x110000;']) {
      expect(decodeEntities(text)).toBe(text);
    }
  });

  it('leaves text without references unchanged', () => {
    expect(decodeEntities('plain text, no refs')).toBe('plain text, no refs');
  });
});
