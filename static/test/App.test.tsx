// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../src/App.tsx';

// The network is replaced here so each answer the page must handle can be produced on demand;
// the page against the real service is covered by test/e2e in Chromium.
type Answer = { status: number; body?: unknown; headers?: Record<string, string> } | 'network-error';
let classifyAnswer: Answer;
let modelAnswer: Answer;
const requests: Array<{ url: string; body?: unknown }> = [];

function respond(answer: Answer): Response {
  if (answer === 'network-error') throw new TypeError('Failed to fetch');
  return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
    status: answer.status,
    headers: { 'content-type': 'application/json', ...answer.headers },
  });
}

const MODEL = { id: 'unitary/toxic-bert', dtype: 'q8', offline: false, max_tokens: 512, limits: { max_texts: 32, max_chars: 20000, max_request_tokens: 300 } };
const scores = (toxic: number, insult: number) => ({ toxic, severe_toxic: 0.01, obscene: 0.2, threat: 0.01, insult, identity_hate: 0.02 });

beforeEach(() => {
  requests.length = 0;
  modelAnswer = { status: 200, body: MODEL };
  classifyAnswer = {
    status: 200,
    body: {
      model: { id: 'unitary/toxic-bert', dtype: 'q8' },
      threshold: 0.5,
      results: [
        {
          scores: scores(0.97, 0.91),
          flagged: true,
          labels: ['toxic', 'insult'],
          tokens: 9,
          windows: 1,
          spans: [
            { begin: 0, end: 16, scores: scores(0.02, 0.01) },
            { begin: 17, end: 33, scores: scores(0.98, 0.95) },
          ],
        },
      ],
      took_ms: 12.3,
    },
  };
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    requests.push({ url, body: init?.body ? JSON.parse(String(init.body)) : undefined });
    return respond(url.endsWith('/model') ? modelAnswer : classifyAnswer);
  });
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function typeAndSubmit(text: string) {
  fireEvent.input(screen.getByLabelText('Text to check'), { target: { value: text } });
  fireEvent.click(screen.getByRole('button', { name: 'Check text' }));
}

describe('the page', () => {
  it('shows the verdict, six bars with percentages, the time and the highlighted sentence', async () => {
    render(<App />);
    typeAndSubmit('Have a nice day. You are an idiot');
    await screen.findByRole('heading', { name: 'Toxic' });
    expect(screen.getAllByRole('meter')).toHaveLength(6);
    expect(screen.getByText('97%')).toBeTruthy();
    expect(screen.getByText(/Checked in 12 ms/)).toBeTruthy();
    const mark = document.querySelector('mark')!;
    expect(mark.textContent).toContain('You are an idiot');
    expect(requests.at(-1)!.body).toEqual({ text: 'Have a nice day. You are an idiot', threshold: 0.5, spans: true });
  });

  it('announces results in an aria-live region', async () => {
    render(<App />);
    typeAndSubmit('You are an idiot');
    await screen.findByRole('heading', { name: 'Toxic' });
    const live = document.querySelector('[aria-live="polite"]')!;
    expect(live.textContent).toContain('Toxic 97 percent');
  });

  it('shows a validation message for an empty submit and sends nothing', async () => {
    render(<App />);
    typeAndSubmit('   ');
    expect(await screen.findByText('Enter some text to check.')).toBeTruthy();
    expect(requests.filter((r) => r.url.includes('classify'))).toHaveLength(0);
    expect(screen.getByLabelText('Text to check').getAttribute('aria-invalid')).toBe('true');
  });

  it('recomputes the verdict locally when the threshold moves', async () => {
    render(<App />);
    typeAndSubmit('You are an idiot');
    await screen.findByRole('heading', { name: 'Toxic' });
    fireEvent.input(screen.getByRole('slider'), { target: { value: '0.95' } });
    expect(await screen.findByText(/Flagged as toxic\./)).toBeTruthy();
  });

  it.each([
    [{ status: 429, body: { error: { code: 'rate_limited', message: 'slow down', details: [] } }, headers: { 'retry-after': '3' } }, /wait 3 seconds/],
    [{ status: 503, body: { error: { code: 'overloaded', message: 'busy', details: [] } }, headers: { 'retry-after': '2' } }, /busy or still starting.*2 seconds/],
    [{ status: 413, body: { error: { code: 'payload_too_large', message: 'big', details: [] } } }, /too large/],
    [{ status: 400, body: { error: { code: 'invalid_request', message: 'bad', details: [{ field: 'text', message: 'must be a string' }] } } }, /it must be a string/],
    [{ status: 502 }, /error 502/],
    ['network-error' as const, /cannot be reached/],
  ])('turns %j into a friendly message', async (answer, message) => {
    classifyAnswer = answer as Answer;
    render(<App />);
    typeAndSubmit('hello');
    const alert = await screen.findByTestId('error');
    expect(alert.textContent).toMatch(message);
  });

  it('refuses a text surely over the service’s budget before sending it', async () => {
    render(<App />);
    await screen.findByText(/unitary\/toxic-bert \(q8\)/);
    typeAndSubmit('word '.repeat(400));
    expect(await screen.findByText(/too long to check at once/)).toBeTruthy();
    expect(requests.filter((r) => r.url.includes('classify'))).toHaveLength(0);
  });

  it('checks a text without sentence highlights when only the sentences take it over budget', async () => {
    const whole = classifyAnswer;
    let calls = 0;
    vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
      requests.push({ url, body: init?.body ? JSON.parse(String(init.body)) : undefined });
      if (url.endsWith('/model')) return respond(modelAnswer);
      const overBudget = { status: 413, body: { error: { code: 'over_budget', message: 'the request would cost 400 tokens', details: [] } } };
      return respond(calls++ === 0 ? overBudget : whole);
    });
    render(<App />);
    typeAndSubmit('Have a nice day. You are an idiot');
    await screen.findByRole('heading', { name: 'Toxic' });
    expect(requests.filter((r) => r.url.includes('classify')).map((r) => (r.body as { spans: boolean }).spans)).toEqual([true, false]);
    expect(screen.getByTestId('no-spans-note').textContent).toMatch(/no sentence is highlighted/);
  });

  it('shows a notice when the service uses the offline model, and names it the stand-in in the footer', async () => {
    modelAnswer = { status: 200, body: { ...MODEL, offline: true } };
    render(<App />);
    expect((await screen.findByTestId('offline-notice')).textContent).toContain('Offline model');
    expect(screen.getByTestId('model-name').textContent).toContain('Model: the offline stand-in for unitary/toxic-bert (q8).');
  });

  it('has no offline notice with the real model, names it in the footer, and example buttons fill the text area', async () => {
    render(<App />);
    await waitFor(() => expect(screen.getByTestId('model-name').textContent).toContain('Model: unitary/toxic-bert (q8).'));
    expect(screen.getByTestId('model-name').textContent).not.toContain('stand-in');
    expect(screen.queryByTestId('offline-notice')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Insult' }));
    expect((screen.getByLabelText('Text to check') as HTMLTextAreaElement).value).toMatch(/idiot/);
  });

  it('submits with Ctrl+Enter from the text area', async () => {
    render(<App />);
    const area = screen.getByLabelText('Text to check');
    fireEvent.input(area, { target: { value: 'You are an idiot' } });
    fireEvent.keyDown(area, { key: 'Enter', ctrlKey: true });
    expect(await screen.findByRole('heading', { name: 'Toxic' })).toBeTruthy();
  });
});
