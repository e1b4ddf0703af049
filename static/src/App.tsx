/**
 * @module App
 * The page: two views behind tabs, "One text" (SingleView) and "Many texts" (BatchView), with
 * the model and the threshold they share. Both stay mounted, so a batch's results are still
 * there after opening one of its texts in "One text". "Many texts" is loaded when first opened:
 * it checks texts with the service's own schemas (zod), which the single text does without.
 * When the service answers 401 (API keys are on), the page asks for a key above both views.
 */
import { useEffect, useState } from 'preact/hooks';
import { fetchModel, KeyRequired, type ModelInfo } from './api.ts';
import { storeKey } from './api-key.ts';
import { KeyPrompt } from './components/KeyPrompt.tsx';
import { SingleView, type OpenedText } from './SingleView.tsx';

type Mode = 'one' | 'many';

const TABS: { mode: Mode; name: string }[] = [
  { mode: 'one', name: 'One text' },
  { mode: 'many', name: 'Many texts' },
];

export function App() {
  const [mode, setMode] = useState<Mode>('one');
  const [threshold, setThreshold] = useState(0.5);
  const [model, setModel] = useState<ModelInfo | null>(null);
  const [opened, setOpened] = useState<OpenedText | undefined>(undefined);
  const [batch, setBatch] = useState<typeof import('./BatchView.tsx') | null>(null);
  /** Why the service wants a key, while it does (it answered 401). */
  const [keyNeeded, setKeyNeeded] = useState<string | null>(null);

  function loadModel() {
    fetchModel().then(
      (info) => {
        setModel(info);
        setKeyNeeded(null);
      },
      (error) => {
        setModel(null);
        if (error instanceof KeyRequired) setKeyNeeded(error.message);
      },
    );
  }
  useEffect(loadModel, []);

  function acceptKey(key: string) {
    storeKey(key);
    setKeyNeeded(null);
    loadModel();
  }

  useEffect(() => {
    if (mode === 'many' && !batch) import('./BatchView.tsx').then(setBatch);
  }, [mode]);

  // Arrow keys move between tabs, as in the WAI-ARIA tabs pattern.
  function onTabKey(event: KeyboardEvent) {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    const next = mode === 'one' ? 'many' : 'one';
    setMode(next);
    document.getElementById(`tab-${next}`)?.focus();
  }

  return (
    <main class={mode === 'many' ? 'page wide' : 'page'}>
      <header class="header">
        <h1>Toxicity monitor</h1>
        <p class="lede">Paste English text to see how toxic it is, label by label.</p>
      </header>

      {model?.offline && (
        <p class="notice" role="note" data-testid="offline-notice">
          <strong>Offline model.</strong> The real unitary/toxic-bert is not installed on this server, so a small
          stand-in model gives rough scores. Ask the operator to run <code>npm run model:fetch</code>.
        </p>
      )}

      {keyNeeded && <KeyPrompt message={keyNeeded} onKey={acceptKey} />}

      <div class="tabs" role="tablist" aria-label="What to check">
        {TABS.map((tab) => (
          <button
            type="button"
            role="tab"
            key={tab.mode}
            id={`tab-${tab.mode}`}
            aria-selected={mode === tab.mode}
            aria-controls={`panel-${tab.mode}`}
            tabIndex={mode === tab.mode ? 0 : -1}
            onClick={() => setMode(tab.mode)}
            onKeyDown={onTabKey}
          >
            {tab.name}
          </button>
        ))}
      </div>

      <div role="tabpanel" id="panel-one" aria-labelledby="tab-one" hidden={mode !== 'one'}>
        <SingleView model={model} threshold={threshold} onThreshold={setThreshold} opened={opened} onKeyNeeded={setKeyNeeded} />
      </div>
      <div role="tabpanel" id="panel-many" aria-labelledby="tab-many" hidden={mode !== 'many'}>
        {batch ? (
          <batch.BatchView
            model={model}
            threshold={threshold}
            onThreshold={setThreshold}
            onKeyNeeded={setKeyNeeded}
            onOpen={(text) => {
              setOpened({ text, seq: (opened?.seq ?? 0) + 1 });
              setMode('one');
            }}
          />
        ) : (
          <p class="card loading" role="status">
            <span class="spinner" aria-hidden="true" /> Loading…
          </p>
        )}
      </div>

      <footer class="footer">
        <span data-testid="model-name">
          {model && `Model: ${model.offline ? `the offline stand-in for ${model.id}` : model.id} (${model.dtype}). `}
          Your text is not stored or logged.
        </span>
        <a href="/api/v1/openapi.json">HTTP API</a>
      </footer>
    </main>
  );
}
