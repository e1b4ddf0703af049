/**
 * @module fetch/fake-hub
 * Test-only stand-in for huggingface.co, since tests cannot reach the Hub. Two node:http
 * servers on 127.0.0.1 (random ports) behave like the Hub and its CDN:
 * - hub: `/<repo>/resolve/<rev>/<file>`; JSON files are served directly with a git-style ETag,
 *   `.onnx` files (LFS on the real Hub) answer 302 to the CDN with X-Linked-Size and
 *   X-Linked-Etag (quoted sha256), 404s carry X-Error-Code like the Hub's, and answers name the
 *   revision's commit in X-Repo-Commit when given one;
 * - cdn: `/cdn/<repo>/<file>?signature`, a different origin, as on the real Hub.
 * Both honour `Range: bytes=N-` with 206, and can be told to drop a connection after K bytes
 * once, to serve corrupted bytes, or to ignore Range. Every request is recorded.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  server: 'hub' | 'cdn';
  method: string;
  path: string;
  range?: string;
  authorization?: string;
}

export interface FakeHub {
  /** What HF_ENDPOINT should be set to. */
  endpoint: string;
  requests: SeenRequest[];
  /** The next GET of `file` sends `afterBytes` bytes, then the connection drops. */
  cutOnce(file: string, afterBytes: number): void;
  /** GETs of `file` serve the right length with one byte flipped; HEAD still tells the truth. */
  corrupt(file: string): void;
  /** Answer every GET with 200 and the whole file, as servers without range support do. */
  ignoreRange: boolean;
  close(): Promise<void>;
}

export interface FakeHubOptions {
  repo: string;
  revision: string;
  files: Record<string, Buffer>;
  /** The commit the revision resolves to, sent as X-Repo-Commit by the hub (not the CDN), as the Hub does. */
  commit?: string;
}

/** How long a cut connection stays open after its last byte, so the client has read them all. */
const CUT_DELAY_MS = 100;

export async function startFakeHub(options: FakeHubOptions): Promise<FakeHub> {
  const cuts = new Map<string, number>();
  const corrupted = new Set<string>();
  const hub: FakeHub = {
    endpoint: '',
    requests: [],
    cutOnce: (file, afterBytes) => cuts.set(file, afterBytes),
    corrupt: (file) => corrupted.add(file),
    ignoreRange: false,
    close: () => Promise.all([close(hubServer), close(cdnServer)]).then(() => undefined),
  };

  const send = (req: IncomingMessage, res: ServerResponse, file: string, etag: string): void => {
    const original = options.files[file]!;
    const body = corrupted.has(file) ? flipByte(original) : original;
    const cut = req.method === 'GET' ? cuts.get(file) : undefined;
    if (cut !== undefined) cuts.delete(file);
    serveBytes(req, res, body, { etag, ignoreRange: hub.ignoreRange, cut });
  };

  const hubServer = createServer((req, res) => {
    record(hub.requests, 'hub', req);
    if (options.commit) res.setHeader('x-repo-commit', options.commit);
    const match = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(new URL(req.url!, 'http://x').pathname);
    const [repo, revision, file] = match ? [match[1], decodeURIComponent(match[2]!), decodeURIComponent(match[3]!)] : [];
    if (repo !== options.repo) return notFound(res, 'RepoNotFound');
    if (revision !== options.revision) return notFound(res, 'RevisionNotFound');
    const content = options.files[file!];
    if (!content) return notFound(res, 'EntryNotFound');
    if (!file!.endsWith('.onnx')) return send(req, res, file!, `"${gitBlobSha1(content)}"`);
    res.writeHead(302, {
      location: `${cdnOrigin}/cdn/${repo}/${file}?X-Amz-Signature=fake`,
      'x-linked-size': String(content.length),
      'x-linked-etag': `"${sha256(content)}"`,
      etag: `"${sha256(content)}"`,
    });
    res.end();
  });

  const cdnServer = createServer((req, res) => {
    record(hub.requests, 'cdn', req);
    const prefix = `/cdn/${options.repo}/`;
    const pathname = new URL(req.url!, 'http://x').pathname;
    const file = pathname.startsWith(prefix) ? pathname.slice(prefix.length) : '';
    const content = options.files[file];
    if (!content) return notFound(res, 'EntryNotFound');
    // S3-style ETag: an md5, not the sha256, so the client must take the Hub's X-Linked-Etag.
    send(req, res, file, `"${createHash('md5').update(content).digest('hex')}"`);
  });

  hub.endpoint = `http://127.0.0.1:${await listen(hubServer)}`;
  const cdnOrigin = `http://127.0.0.1:${await listen(cdnServer)}`;
  return hub;
}

function serveBytes(
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  options: { etag: string; ignoreRange: boolean; cut?: number },
): void {
  const start = options.ignoreRange ? 0 : Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? '')?.[1] ?? 0);
  const headers = { etag: options.etag, 'accept-ranges': 'bytes', 'content-type': 'application/octet-stream' };
  if (start >= body.length && start > 0) {
    res.writeHead(416, { ...headers, 'content-range': `bytes */${body.length}` });
    return void res.end();
  }
  const status = start > 0 ? 206 : 200;
  const range = start > 0 ? { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` } : {};
  res.writeHead(status, { ...headers, ...range, 'content-length': String(body.length - start) });
  if (req.method === 'HEAD') return void res.end();
  if (options.cut === undefined) return void res.end(body.subarray(start));
  res.write(body.subarray(start, start + options.cut));
  setTimeout(() => res.socket?.destroy(), CUT_DELAY_MS);
}

function record(requests: SeenRequest[], server: SeenRequest['server'], req: IncomingMessage): void {
  requests.push({ server, method: req.method!, path: req.url!, range: req.headers.range, authorization: req.headers.authorization });
}

function notFound(res: ServerResponse, code: string): void {
  res.writeHead(404, { 'x-error-code': code, 'content-type': 'text/plain' });
  res.end(`${code}\n`);
}

function flipByte(content: Buffer): Buffer {
  const copy = Buffer.from(content);
  copy[copy.length >> 1] = copy[copy.length >> 1]! ^ 0xff;
  return copy;
}

export function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** The Hub's ETag for a non-LFS file is its git blob id: sha1 over "blob <size>\0<content>". */
function gitBlobSha1(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * A small fake model in the Xenova/toxic-bert layout. The ONNX "weights" are random bytes:
 * the fetcher only moves and hashes them. They are big enough to arrive in several chunks.
 */
export function fakeModelFiles(): Record<string, Buffer> {
  return {
    'config.json': Buffer.from(JSON.stringify({ model_type: 'bert', id2label: { 0: 'toxic' } })),
    'tokenizer.json': Buffer.from(JSON.stringify({ version: '1.0', model: { type: 'WordPiece', vocab: { '[UNK]': 0 } } })),
    'tokenizer_config.json': Buffer.from(JSON.stringify({ tokenizer_class: 'BertTokenizer' })),
    'onnx/model.onnx': randomBytes(300_000),
    'onnx/model_quantized.onnx': randomBytes(120_000),
  };
}
