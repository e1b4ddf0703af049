/**
 * @module api-key
 * The API key the person gave the page, kept for this tab only (sessionStorage: gone when the
 * tab closes, never in the URL or a cookie) and sent as X-API-Key.
 */
const STORAGE_NAME = 'toxicity-monitor.api-key';

export function storedKey(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_NAME);
  } catch {
    // Storage refused (a sandboxed frame, a strict privacy setting): the page works without it.
    return null;
  }
}

export function storeKey(key: string): void {
  try {
    sessionStorage.setItem(STORAGE_NAME, key);
  } catch {
    // As above: the key is then asked for again on the next 401.
  }
}

/** The header that carries the key, when there is one. */
export function keyHeaders(): Record<string, string> {
  const key = storedKey();
  return key ? { 'x-api-key': key } : {};
}
