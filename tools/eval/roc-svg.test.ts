import { describe, expect, it } from 'vitest';
import { auc, rocCurve } from './metrics.ts';
import { downsample, MAX_POINTS, renderRocSvg, type RocPlot } from './roc-svg.ts';

/**
 * A strict-enough XML well-formedness check (no parser ships with the project): every byte is
 * part of a tag or of text, tags nest and close in order, attributes are quoted and unique,
 * and text holds no raw "<" or stray "&".
 */
function assertWellFormedXml(xml: string): void {
  const token = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*"[^"<]*")*)\s*(\/?)>|([^<]+)/y;
  const stack: string[] = [];
  let roots = 0;
  while (token.lastIndex < xml.length) {
    const at = token.lastIndex;
    const match = token.exec(xml);
    if (!match) throw new Error(`not XML at offset ${at}: ${JSON.stringify(xml.slice(at, at + 40))}`);
    const [, closing, name, attributes, selfClosing, text] = match;
    if (text !== undefined) {
      if (stack.length === 0 && text.trim() !== '') throw new Error(`text outside the root: ${text}`);
      const stray = text.replace(/&(#\d+|#x[0-9a-fA-F]+|amp|lt|gt|quot|apos);/g, '');
      if (stray.includes('&')) throw new Error(`unescaped & in ${JSON.stringify(text)}`);
      continue;
    }
    const names = [...attributes!.matchAll(/([\w:.-]+)\s*=/g)].map((m) => m[1]);
    if (new Set(names).size !== names.length) throw new Error(`duplicate attribute in <${name}>`);
    if (attributes!.replace(/&(#\d+|#x[0-9a-fA-F]+|amp|lt|gt|quot|apos);/g, '').includes('&')) {
      throw new Error(`unescaped & in attributes of <${name}>`);
    }
    if (closing) {
      if (stack.pop() !== name) throw new Error(`</${name}> closes the wrong element`);
    } else {
      if (stack.length === 0) roots++;
      if (!selfClosing) stack.push(name!);
    }
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.join('>, <')}>`);
  if (roots !== 1) throw new Error(`${roots} root elements`);
}

function plot(overrides: Partial<RocPlot> = {}): RocPlot {
  const truth = Array.from({ length: 5000 }, (_, i) => i % 4 === 0);
  // A deterministic, non-trivial curve with thousands of distinct points.
  const scores = truth.map((t, i) => ((i * 7919) % 5000) / 5000 + (t ? 0.25 : 0));
  const toxic = rocCurve(scores, truth);
  const hate = rocCurve([0.9, 0.1, 0.5], [true, false, true]);
  return {
    model: { id: 'unitary/toxic-bert', dtype: 'q8', offline: false },
    dataset: 'dev.csv',
    n: 5000,
    series: [
      { label: 'toxic', auc: auc(toxic), ...toxic },
      { label: 'identity_hate', auc: auc(hate), ...hate },
    ],
    ...overrides,
  };
}

describe('renderRocSvg', () => {
  it('is well-formed XML with an svg root', () => {
    const svg = renderRocSvg(plot());
    assertWellFormedXml(svg);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  });

  it('draws exactly one path per label, and the legend shows each AUC', () => {
    const svg = renderRocSvg(plot());
    expect([...svg.matchAll(/<path\b[^>]*data-label="([^"]+)"/g)].map((m) => m[1])).toEqual(['toxic', 'identity_hate']);
    expect(svg.match(/<path\b/g)).toHaveLength(2);
    expect(svg).toContain('identity_hate (AUC 1.000)');
    expect(svg).toMatch(/toxic \(AUC 0\.\d{3}\)/);
  });

  it('names the model, the data file and n in the title, and says when it is the offline stand-in', () => {
    const online = renderRocSvg(plot());
    expect(online).toContain('unitary/toxic-bert (q8)');
    expect(online).toContain('dev.csv · n = 5,000');
    expect(online).not.toContain('offline stand-in');
    expect(renderRocSvg(plot({ model: { id: 'unitary/toxic-bert', dtype: 'q8', offline: true } }))).toContain(
      'unitary/toxic-bert (q8, offline stand-in)',
    );
  });

  it('escapes markup in names and still parses', () => {
    const svg = renderRocSvg(plot({ dataset: 'a&b <"x">.csv' }));
    assertWellFormedXml(svg);
    expect(svg).toContain('a&amp;b &lt;&quot;x&quot;&gt;.csv');
  });

  it('says n/a for an undefined AUC', () => {
    const none = rocCurve([0.3, 0.6], [false, false]);
    const svg = renderRocSvg(plot({ series: [{ label: 'toxic', auc: auc(none), ...none }] }));
    expect(svg).toContain('toxic (AUC n/a)');
  });

  it('is self-contained and small: no external references, a few hundred points per curve', () => {
    const svg = renderRocSvg(plot());
    expect(svg).not.toMatch(/href|<script|<style|@import|url\(/i);
    const points = svg.match(/data-label="toxic" d="([^"]+)"/)![1]!.match(/[ML]/g)!.length;
    expect(points).toBeLessThanOrEqual(MAX_POINTS + 2);
    expect(points).toBeGreaterThan(MAX_POINTS / 2);
    expect(svg.length).toBeLessThan(20_000);
  });
});

describe('downsample', () => {
  it('keeps both ends and stays within the bound', () => {
    const fpr = Array.from({ length: 1001 }, (_, i) => i / 1000);
    const kept = downsample(fpr, fpr, 50);
    expect(kept[0]).toEqual([0, 0]);
    expect(kept.at(-1)).toEqual([1, 1]);
    expect(kept.length).toBeLessThanOrEqual(52);
  });

  it('keeps every point of a short curve', () => {
    expect(downsample([0, 0.5, 1], [0, 1, 1], 300)).toEqual([
      [0, 0],
      [0.5, 1],
      [1, 1],
    ]);
  });
});
