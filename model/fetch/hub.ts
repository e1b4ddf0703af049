/**
 * @module fetch/hub
 * Talks to a Hugging Face Hub endpoint: builds `resolve` URLs, follows redirects by hand and
 * reads what a file should look like (size, sha256) before downloading it.
 *
 * Redirects are followed manually for two reasons: the Hub puts `X-Linked-Size` and
 * `X-Linked-Etag` (size and sha256 of LFS files) only on its own 302 response, which
 * `redirect: 'follow'` would hide; and HF_TOKEN must go to the Hub only, not to the CDN the
 * 302 points at.
 */
import { HttpError, printableUrl } from './errors.ts';

export interface HubSource {
  /** e.g. https://huggingface.co, without a trailing slash. */
  endpoint: string;
  /** e.g. Xenova/toxic-bert. */
  repo: string;
  /** Branch, tag or commit; e.g. main. */
  revision: string;
  token?: string;
}

/** What the Hub says a file should be; each part is absent when the server did not tell. */
export interface RemoteFile {
  size?: number;
  /** Lowercase hex; known for LFS files (the ONNX weights), not for small git files. */
  sha256?: string;
  /** The validator the server gave, used to notice a changed file when no sha256 is known. */
  etag?: string;
}

const MAX_REDIRECTS = 10;

/**
 * @example
 * fileUrl({ endpoint: 'https://huggingface.co', repo: 'Xenova/toxic-bert', revision: 'main' }, 'onnx/model.onnx')
 * // → 'https://huggingface.co/Xenova/toxic-bert/resolve/main/onnx/model.onnx'
 */
export function fileUrl(source: HubSource, file: string): string {
  // Revisions such as refs/pr/1 are one path segment to the Hub, so their slashes are escaped.
  const revision = encodeURIComponent(source.revision);
  const filePath = file.split('/').map(encodeURIComponent).join('/');
  return `${source.endpoint}/${source.repo}/resolve/${revision}/${filePath}`;
}

/**
 * HEAD the file and collect its expected size and checksum along the redirect chain.
 * `signal` bounds the wait (a caller checking whether the Hub can be reached at all).
 */
export async function probe(source: HubSource, file: string, signal?: AbortSignal): Promise<RemoteFile> {
  const linked: RemoteFile = {};
  const onHop = (hop: Response) => {
    linked.size ??= toSize(hop.headers.get('x-linked-size'));
    linked.etag ??= unquote(hop.headers.get('x-linked-etag'));
  };
  const response = await send(source, fileUrl(source, file), 'HEAD', {}, { onHop, signal });
  const etag = linked.etag ?? unquote(response.headers.get('etag'));
  return {
    size: linked.size ?? toSize(response.headers.get('content-length')),
    sha256: etag !== undefined && /^[0-9a-f]{64}$/.test(etag) ? etag : undefined,
    etag,
  };
}

/** GET the file from byte `offset` on; the caller checks whether the server honoured the range. */
export function open(source: HubSource, file: string, offset: number): Promise<Response> {
  const range: Record<string, string> = offset > 0 ? { range: `bytes=${offset}-` } : {};
  return send(source, fileUrl(source, file), 'GET', range);
}

/**
 * One request, redirects followed by hand. Answers 2xx, and 416 which the downloader handles;
 * any other status becomes an HttpError naming the status and the URL.
 */
async function send(
  source: HubSource,
  url: string,
  method: 'HEAD' | 'GET',
  headers: Record<string, string>,
  o: { onHop?: (response: Response) => void; signal?: AbortSignal } = {},
): Promise<Response> {
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const response = await fetch(current, { method, headers: headersFor(source, current, headers), redirect: 'manual', signal: o.signal });
    o.onHop?.(response);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      current = new URL(location, current).href;
      continue;
    }
    if (response.ok || response.status === 416) return response;
    await response.body?.cancel();
    throw new HttpError(response.status, httpMessage(source, response, method, current));
  }
  throw new HttpError(310, `more than ${MAX_REDIRECTS} redirects from ${printableUrl(url)}`);
}

function headersFor(source: HubSource, url: string, extra: Record<string, string>): Record<string, string> {
  // Identity encoding keeps Content-Length equal to the file size and the bytes hashable as sent.
  const headers: Record<string, string> = { 'accept-encoding': 'identity', 'user-agent': 'toxicity-monitor-model-fetch', ...extra };
  if (source.token && new URL(url).origin === new URL(source.endpoint).origin) {
    headers.authorization = `Bearer ${source.token}`;
  }
  return headers;
}

function httpMessage(source: HubSource, response: Response, method: string, url: string): string {
  // The Hub names the failure (RepoNotFound, EntryNotFound, GatedRepo...) in X-Error-Code.
  const code = response.headers.get('x-error-code');
  const reason = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}${code ? ` (${code})` : ''}`;
  const hint = response.status === 401 || response.status === 403 ? (source.token ? '; check HF_TOKEN' : '; set HF_TOKEN for gated or private repos') : '';
  return `${reason} from ${method} ${printableUrl(url)}${hint}`;
}

function toSize(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

/** ETags arrive as `"abc"` or `W/"abc"`; the Hub's sha256 is the part between the quotes. */
function unquote(value: string | null): string | undefined {
  if (value === null) return undefined;
  return value.replace(/^W\//, '').replace(/^"(.*)"$/, '$1').toLowerCase() || undefined;
}
