/**
 * The pieces of the dashboard renderer that need no Prometheus: Grafana variables become
 * PromQL, legends follow Grafana's format, values carry their unit, gaps break lines.
 */
import { describe, expect, it } from 'vitest';
import { toPromQL } from '../../tools/observability/dashboard-queries.ts';
import { legendName } from '../../tools/observability/render-dashboard.ts';
import { formatValue, renderSvg } from '../../tools/observability/dashboard-svg.ts';

describe('toPromQL', () => {
  it('replaces interval variables with the window and replica filters with match-all', () => {
    expect(toPromQL('rate(x{instance=~"$instance"}[$__rate_interval]) + rate(y[${__interval}])', '2m')).toBe('rate(x{instance=~".*"}[2m]) + rate(y[2m])');
  });

  it('leaves PromQL without variables alone', () => {
    expect(toPromQL('count(ALERTS{alertstate="firing"}) or vector(0)')).toBe('count(ALERTS{alertstate="firing"}) or vector(0)');
  });
});

describe('legendName', () => {
  it('fills {{label}} from the series', () => {
    expect(legendName('{{instance}} in', { instance: 'a:3000', job: 'functions' })).toBe('a:3000 in');
  });

  it('lists the labels when the format is auto, and says "value" when there are none', () => {
    expect(legendName('__auto', { __name__: 'up', job: 'node' })).toBe('job=node');
    expect(legendName('', {})).toBe('value');
  });
});

describe('formatValue', () => {
  it.each([
    [0.0312, 'percentunit', '3.12%'],
    [0.042, 's', '42 ms'],
    [2.5, 's', '2.5 s'],
    [3 * 1024 * 1024, 'bytes', '3 MiB'],
    [1536, 'Bps', '1.5 KiB/s'],
    [4, 'reqps', '4 req/s'],
    [0, 'short', '0'],
    [1, 'percentunit', '100%'],
    [120, 'short', '120'],
  ])('%s in %s reads %s', (value, unit, text) => {
    expect(formatValue(value, unit)).toBe(text);
  });
});

describe('renderSvg', () => {
  const svg = renderSvg(
    [
      {
        title: 'Traffic <row>',
        charts: [
          {
            title: 'Requests & errors',
            unit: 'reqps',
            span: 12,
            series: [{ name: 'a', points: [[0, 1], [10, 2], [20, Number.NaN], [30, 3], [40, 4], [70, 5], [80, 6]] }],
          },
          { title: 'Empty', unit: 'short', span: 12, series: [] },
        ],
      },
    ],
    { title: 'T', subtitle: 'S', start: 0, end: 80, step: 10 },
  );

  it('escapes titles and marks a chart without data', () => {
    expect(svg).toContain('Traffic &lt;row&gt;');
    expect(svg).toContain('Requests &amp; errors');
    expect(svg).toContain('>No data<');
  });

  it('breaks a line where a value is NaN or steps are missing (a replica down)', () => {
    const path = svg.match(/<path d="([^"]+)"/)![1]!;
    expect(path.match(/M/g)).toHaveLength(3);
  });
});
