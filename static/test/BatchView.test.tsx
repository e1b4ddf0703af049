// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../src/App.tsx';

// The page's tabs and "Many texts" with the network replaced; test/e2e/batch.test.ts runs it in
// Chromium against the real service.
const SHA = 'b'.repeat(64);
const MODEL = { id: 'unitary/toxic-bert', dtype: 'q8', offline: false, sha256: SHA, revision: null, max_tokens: 512, limits: { max_texts: 32, max_chars: 20000, max_request_tokens: 12288 } };
const scoresOf = (text: string) => {
  const toxic = text.includes('idiot') ? 0.95 : 0.02;
  return { toxic, severe_toxic: 0.01, obscene: 0.01, threat: 0.01, insult: toxic, identity_hate: 0.01 };
};
const classified: string[][] = [];

beforeEach(() => {
  classified.length = 0;
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    if (url.endsWith('/model')) return Response.json(MODEL);
    const body = JSON.parse(String(init!.body)) as { text?: string; texts?: string[]; spans?: boolean };
    const texts = body.texts ?? [body.text!];
    classified.push(texts);
    const results = texts.map((text) => ({ scores: scoresOf(text), flagged: false, labels: [], tokens: 5, windows: 1, ...(body.spans ? { spans: [{ begin: 0, end: text.length, scores: scoresOf(text) }] } : {}) }));
    return Response.json({ model: { id: MODEL.id, dtype: 'q8', sha256: SHA }, threshold: 0.5, results, took_ms: 3 });
  });
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

async function openManyTexts() {
  render(<App />);
  fireEvent.click(screen.getByRole('tab', { name: 'Many texts' }));
  return screen.findByLabelText('Texts to check, one per line');
}

describe('Many texts', () => {
  it('scores pasted lines in one request, skipping blank lines, and shows a row per text with six bars each', async () => {
    fireEvent.input(await openManyTexts(), { target: { value: 'Have a nice day\n\nYou are an idiot\nSee you soon\n' } });
    fireEvent.click(screen.getByRole('button', { name: 'Check texts' }));
    await screen.findByText(/^Done\. 3 of 3 texts in/);
    expect(classified).toEqual([['Have a nice day', 'You are an idiot', 'See you soon']]);
    const rows = document.querySelectorAll('tr.result-row');
    expect(rows).toHaveLength(3);
    expect(rows[1]!.querySelectorAll('[role="meter"]')).toHaveLength(6);
    expect(screen.getByTestId('shown-count').textContent).toBe('Showing 3 of 3 texts.');
  });

  it('says so when nothing was pasted, and sends nothing', async () => {
    await openManyTexts();
    fireEvent.click(screen.getByRole('button', { name: 'Check texts' }));
    expect(await screen.findByText('Paste some texts, one per line, or choose a file.')).toBeTruthy();
    expect(classified).toEqual([]);
  });

  it('reads a chosen CSV file in the page, picks its text column, and scores that column', async () => {
    await openManyTexts();
    const file = new File(['id,lang,comment\n1,en,Have a nice day\n2,en,"You are an idiot, truly"\n'], 'comments.csv', { type: 'text/csv' });
    fireEvent.change(screen.getByLabelText(/Or choose or drop a CSV/), { target: { files: [file] } });
    expect((await screen.findByTestId('file-chosen')).textContent).toContain('comments.csv: 2 rows');
    expect((screen.getByLabelText('Text column') as HTMLSelectElement).value).toBe('comment');
    fireEvent.click(screen.getByRole('button', { name: 'Check texts' }));
    await screen.findByText(/^Done\. 2 of 2 texts/);
    expect(classified).toEqual([['Have a nice day', 'You are an idiot, truly']]);
  });

  it('refuses a file over 50 MB with a message, reading nothing of it', async () => {
    await openManyTexts();
    const file = new File(['text\n'], 'huge.csv', { type: 'text/csv' });
    Object.defineProperty(file, 'size', { value: 60 * 1024 * 1024 });
    const read = vi.spyOn(file, 'text');
    fireEvent.change(screen.getByLabelText(/Or choose or drop a CSV/), { target: { files: [file] } });
    expect(await screen.findByText(/That file is 60 MB; the page reads files of up to 50 MB/)).toBeTruthy();
    expect(read).not.toHaveBeenCalled();
  });

  it('opens a row in One text, checked with its sentences highlighted', async () => {
    fireEvent.input(await openManyTexts(), { target: { value: 'Have a nice day\nYou are an idiot' } });
    fireEvent.click(screen.getByRole('button', { name: 'Check texts' }));
    await screen.findByText(/^Done\./);
    fireEvent.click(screen.getByRole('button', { name: 'You are an idiot' }));
    await waitFor(() => expect(screen.getByRole('tab', { name: 'One text' }).getAttribute('aria-selected')).toBe('true'));
    expect((screen.getByLabelText('Text to check') as HTMLTextAreaElement).value).toBe('You are an idiot');
    await waitFor(() => expect(document.querySelector('mark')?.textContent).toContain('You are an idiot'));
  });
});
