/**
 * @module KeyPrompt
 * Asks for an API key when the service answered 401: says why (none given, or the one given was
 * not accepted) and hands the key to the page, which keeps it for this tab only.
 */
import { useState } from 'preact/hooks';

export function KeyPrompt(props: { message: string; onKey: (key: string) => void }) {
  const [key, setKey] = useState('');

  function save(event: Event) {
    event.preventDefault();
    if (key.trim()) props.onKey(key.trim());
  }

  return (
    <form class="card key-prompt" onSubmit={save} data-testid="key-prompt">
      <label for="api-key" class="field-label">
        API key
      </label>
      <p class="field-error" role="alert" id="api-key-error">
        {props.message}
      </p>
      <div class="controls">
        <input
          id="api-key"
          type="password"
          autocomplete="off"
          spellcheck={false}
          value={key}
          onInput={(e) => setKey(e.currentTarget.value)}
          aria-describedby="api-key-error api-key-help"
        />
        <button type="submit" class="submit">
          Use this key
        </button>
      </div>
      <p class="field-help" id="api-key-help">
        Kept in this tab only, until you close it.
      </p>
    </form>
  );
}
