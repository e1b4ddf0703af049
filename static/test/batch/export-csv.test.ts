import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { exportCsv } from '../../src/batch/export-csv.ts';

const scores = { toxic: 0.91, severe_toxic: 0.02, obscene: 0.3, threat: 0.01, insult: 0.75, identity_hate: 0.001 };

describe('exportCsv', () => {
  const csv = exportCsv(
    [
      { row: 7, text: 'He said "no", then\nleft', scores },
      { row: 2, text: '', error: 'the text must not be empty' },
    ],
    0.5,
  );

  it('starts with a byte-order mark and ends lines with CRLF', () => {
    expect(csv.startsWith('\uFEFFrow,text,toxic,')).toBe(true);
    expect(csv.split('\r\n')[0]).toBe('\uFEFFrow,text,toxic,severe_toxic,obscene,threat,insult,identity_hate,flagged,labels,error');
  });

  it('holds the rows in the order given, quotes and all, flags at the threshold given', () => {
    const rows = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toEqual([
      {
        row: '7',
        text: 'He said "no", then\nleft',
        toxic: '0.91',
        severe_toxic: '0.02',
        obscene: '0.3',
        threat: '0.01',
        insult: '0.75',
        identity_hate: '0.001',
        flagged: 'true',
        labels: 'toxic insult',
        error: '',
      },
      { row: '2', text: '', toxic: '', severe_toxic: '', obscene: '', threat: '', insult: '', identity_hate: '', flagged: '', labels: '', error: 'the text must not be empty' },
    ]);
  });
});
