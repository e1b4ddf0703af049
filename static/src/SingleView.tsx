/**
 * @module SingleView
 * "One text": a text area and a submit button; then the verdict, a bar per label, the threshold,
 * the text with the sentences that carry the score highlighted, and how long it took. A text
 * opened from the "Many texts" table is put in and checked at once.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { countChars } from '../../functions/src/api/chars.ts';
import { textCostAtLeast } from '../../functions/src/classify/cost.ts';
import { classify, KeyRequired, OverBudget, RequestFailed, type ClassifyResponse, type ModelInfo } from './api.ts';
import { HighlightedText } from './components/HighlightedText.tsx';
import { LabelBars } from './components/LabelBars.tsx';
import { ThresholdSlider } from './components/ThresholdSlider.tsx';
import { Verdict } from './components/Verdict.tsx';
import { EXAMPLES } from './examples.ts';
import { flaggedLabels, LABEL_NAMES } from './labels.ts';

type State =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'invalid'; message: string }
  | { kind: 'failed'; message: string }
  | { kind: 'done'; text: string; response: ClassifyResponse; withoutSpans: boolean };

/** A text to put in and check, from the other view; `seq` tells one opening from the next. */
export interface OpenedText {
  text: string;
  seq: number;
}

interface SingleViewProps {
  model: ModelInfo | null;
  threshold: number;
  onThreshold(value: number): void;
  opened?: OpenedText;
  /** The service answered 401: the page asks for a key. */
  onKeyNeeded(message: string): void;
}

export function SingleView({ model, threshold, onThreshold, opened, onKeyNeeded }: SingleViewProps) {
  const [text, setText] = useState('');
  const [state, setState] = useState<State>({ kind: 'idle' });
  const textArea = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (!opened) return;
    setText(opened.text);
    check(opened.text);
    textArea.current?.focus();
  }, [opened]);

  function submit(event?: Event) {
    event?.preventDefault();
    if (state.kind === 'loading') return;
    check(text);
  }

  async function check(submitted: string) {
    if (submitted.trim().length === 0) {
      setState({ kind: 'invalid', message: 'Enter some text to check.' });
      textArea.current?.focus();
      return;
    }
    // The service's limits, from GET /api/v1/model; it checks them again in any case.
    if (model && countChars(submitted) > model.limits.max_chars) {
      setState({ kind: 'invalid', message: `The text is too long: at most ${model.limits.max_chars.toLocaleString('en')} characters.` });
      return;
    }
    // The service's budget per request, checked here first with the same lower bound it uses.
    if (model && textCostAtLeast(submitted, model.max_tokens) > model.limits.max_request_tokens) {
      setState({ kind: 'invalid', message: new OverBudget().message });
      return;
    }
    setState({ kind: 'loading' });
    try {
      setState({ kind: 'done', text: submitted, response: await classify(submitted, threshold), withoutSpans: false });
    } catch (error) {
      // Scoring every sentence as well roughly doubles the work; a text that fits only without
      // it is still checked as a whole.
      if (error instanceof OverBudget) {
        try {
          setState({ kind: 'done', text: submitted, response: await classify(submitted, threshold, false), withoutSpans: true });
          return;
        } catch (retryError) {
          error = retryError;
        }
      }
      if (error instanceof KeyRequired) onKeyNeeded(error.message);
      const message = error instanceof RequestFailed ? error.message : 'Something went wrong. Please try again.';
      setState({ kind: 'failed', message });
    }
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) submit(event);
  }

  const count = countChars(text);
  const result = state.kind === 'done' ? state.response.results[0] : undefined;
  const labels = result ? flaggedLabels(result.scores, threshold) : [];
  const invalid = state.kind === 'invalid';

  return (
    <>
      <form class="card" onSubmit={submit} noValidate>
        <label for="text" class="field-label">
          Text to check
        </label>
        <textarea
          id="text"
          ref={textArea}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
          onKeyDown={onKeyDown}
          rows={6}
          placeholder="Type or paste a comment, a message, a review…"
          aria-invalid={invalid}
          aria-describedby="text-help text-error"
        />
        <div class="field-help" id="text-help">
          <span>
            Press <kbd>Ctrl</kbd>+<kbd>Enter</kbd> to check.
          </span>
          <span class={model && count > model.limits.max_chars ? 'count over' : 'count'}>
            {count.toLocaleString('en')}
            {model && ` / ${model.limits.max_chars.toLocaleString('en')}`}
          </span>
        </div>
        <p id="text-error" class="field-error" role="alert">
          {invalid ? state.message : ''}
        </p>

        <div class="examples" role="group" aria-label="Example texts">
          <span class="examples-label">Try an example:</span>
          {EXAMPLES.map((example) => (
            <button
              type="button"
              class="chip"
              key={example.name}
              onClick={() => {
                setText(example.text);
                textArea.current?.focus();
              }}
            >
              {example.name}
            </button>
          ))}
        </div>

        <div class="controls">
          <ThresholdSlider id="threshold" value={threshold} onChange={onThreshold} />
          <button type="submit" class="submit" disabled={state.kind === 'loading'} aria-busy={state.kind === 'loading'}>
            {state.kind === 'loading' ? 'Checking…' : 'Check text'}
          </button>
        </div>
      </form>

      <section class="results" aria-live="polite" aria-busy={state.kind === 'loading'} aria-label="Result">
        {state.kind === 'loading' && (
          <div class="card loading" role="status">
            <span class="spinner" aria-hidden="true" /> Checking the text…
          </div>
        )}
        {state.kind === 'failed' && (
          <div class="card error" role="alert" data-testid="error">
            {state.message}
          </div>
        )}
        {state.kind === 'done' && result && (
          <div class="card result">
            <Verdict labels={labels} tookMs={state.response.took_ms} windows={result.windows} />
            <p class="sr-only">
              {labels.length > 0
                ? `Toxic. ${labels.map((l) => `${LABEL_NAMES[l]} ${Math.round(result.scores[l] * 100)} percent`).join(', ')}.`
                : 'Not toxic.'}
            </p>
            <h3 class="section-title">Scores</h3>
            <LabelBars scores={result.scores} threshold={threshold} />
            <p class="threshold-note">
              The line on each bar marks the threshold, {Math.round(threshold * 100)}%. A label is flagged at or above it.
            </p>
            {state.withoutSpans && (
              <p class="threshold-note" data-testid="no-spans-note">
                This text is too long to also score sentence by sentence, so no sentence is highlighted.
              </p>
            )}
            {result.spans && result.spans.length > 0 && (
              <>
                <h3 class="section-title">Where it is</h3>
                <HighlightedText text={state.text} spans={result.spans} threshold={threshold} />
              </>
            )}
          </div>
        )}
      </section>

    </>
  );
}
