/**
 * @module http-cases
 * Fuzz cases about HTTP itself rather than the body: wrong methods, content types and paths,
 * header oddities, garbage instead of a request, and clients that trickle, stall or hang up.
 * What Node's HTTP client refuses to send goes byte by byte over a raw socket.
 */
import { validBody } from './body-cases.ts';
import { classifyPost, CLASSIFY_PATH, concatBytes, rejected, utf8, type CaseDraft, type Expectation, type RawRequestPlan } from './case.ts';
import type { Random } from './random.ts';
import { words } from './texts.ts';

/** A request written by hand: request line, headers (Connection: close added), body. */
function rawBytes(requestLine: string, headers: string[], body: Uint8Array = new Uint8Array(), eol = '\r\n'): Uint8Array {
  return concatBytes(utf8([requestLine, ...headers, 'Connection: close', '', ''].join(eol)), body);
}

function raw(chunks: Uint8Array[], gapMs = 0, hangUp = false): RawRequestPlan {
  return { transport: 'raw', chunks, gapMs, hangUp };
}

/** A small valid classify body and the answer it earns. */
function smallValid(r: Random): { body: Uint8Array; expect: Expectation } {
  const { body, texts, spans } = validBody(r, () => words(r, 1, 12));
  return { body: utf8(JSON.stringify(body)), expect: { answer: 'classify', texts, spans } };
}

/** A raw classify POST with Content-Length, plus extra header lines. */
function rawClassify(body: Uint8Array, extra: string[] = [], requestLine = `POST ${CLASSIFY_PATH} HTTP/1.1`): Uint8Array {
  return rawBytes(requestLine, ['Host: 127.0.0.1', 'Content-Type: application/json', `Content-Length: ${body.length}`, ...extra], body);
}

/** Methods Node's parser knows (Hono answers 405) and ones it does not (a JSON 400 from the function). */
const KNOWN_METHODS = ['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'PROPFIND', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'PURGE', 'SEARCH', 'REPORT'];
const UNKNOWN_METHODS = ['FUZZ', 'BREW', 'X-CUSTOM', 'GETS', 'POSTX', 'A_B'];

function wrongMethod(r: Random): CaseDraft {
  const variant = r.pick(['classify', 'classify', 'model', 'head', 'unknown', 'nginx-only', 'page']);
  const body = utf8(JSON.stringify({ text: words(r) }));
  const headers = { 'content-type': 'application/json' };
  switch (variant) {
    case 'classify':
      return { variant: `classify-${r.pick(KNOWN_METHODS)}`, request: { ...classifyPost(body), method: r.pick(KNOWN_METHODS) }, expect: rejected(405) };
    case 'model': {
      const method = r.pick(['POST', 'PUT', 'DELETE', 'PATCH']);
      return { variant: `model-${method}`, request: { transport: 'http', method, path: '/api/v1/model', headers, body }, expect: rejected(405) };
    }
    case 'head':
      return { variant, request: { transport: 'http', method: 'HEAD', path: CLASSIFY_PATH, headers: {} }, expect: rejected(405) };
    case 'unknown': {
      const method = r.pick(UNKNOWN_METHODS);
      return { variant: `unknown-${method}`, request: { ...classifyPost(body), method }, expect: rejected(400, 405) };
    }
    case 'nginx-only': {
      // TRACE and CONNECT never reach a replica; Node's client cannot send CONNECT as a plain request.
      const method = r.pick(['TRACE', 'CONNECT']);
      return { variant: `nginx-${method}`, request: raw([rawBytes(`${method} ${CLASSIFY_PATH} HTTP/1.1`, ['Host: 127.0.0.1'])]), expect: rejected(400, 405) };
    }
    default: {
      const method = r.pick(['POST', 'PUT', 'DELETE', 'PATCH']);
      const path = r.pick(['/', '/assets/app.js', '/healthz', '/index.html', '/nope']);
      return { variant: `page-${method}`, request: { transport: 'http', method, path, headers, body }, expect: rejected(405) };
    }
  }
}

/** Content types and whether the function takes them as JSON. */
const CONTENT_TYPES: ReadonlyArray<[string | undefined, boolean]> = [
  [undefined, false], ['', false], ['text/plain', false], ['text/json', false], ['application/x-www-form-urlencoded', false],
  ['multipart/form-data; boundary=x', false], ['application/jsonx', false], ['application/json-seq', false], ['json', false],
  ['*/*', false], ['application/*', false], ['application/xml', false], ['application/octet-stream', false], [';application/json', false],
  ['application/json', true], ['Application/JSON', true], ['application/json; charset=utf-8', true], ['application/json;charset=UTF-16', true],
  ['application/vnd.api+json', true], ['application/problem+json', true], ['application/json; foo=bar; baz', true], ['application/json ; charset=utf-8', true],
];

function contentType(r: Random): CaseDraft {
  const [type, accepted] = r.pick(CONTENT_TYPES);
  const { body, expect } = smallValid(r);
  const headers: Record<string, string> = type === undefined ? {} : { 'content-type': type };
  return { variant: type === undefined ? '(none)' : type || '(empty)', request: classifyPost(body, headers), expect: accepted ? expect : rejected(415) };
}

function path(r: Random): CaseDraft {
  const get = (p: string, expect: Expectation, variant = p): CaseDraft => ({ variant, request: { transport: 'http', method: 'GET', path: p, headers: {} }, expect });
  const variant = r.pick(['served', 'head', 'not-found', 'traversal', 'internal', 'query', 'classify-lookalike', 'too-long', 'nul']);
  switch (variant) {
    case 'served':
      return get(r.pick(['/api/v1/model', '/api/v1/openapi.json', '/healthz', '/api/v1/model?']), { answer: 'json' });
    case 'head':
      return { variant, request: { transport: 'http', method: 'HEAD', path: '/api/v1/model', headers: {} }, expect: { answer: 'json' } };
    case 'not-found':
      return get(r.pick(['/api/', '/api/v2/model', '/API/v1/model', '/.env', '/.git/config', '/wp-login.php', '/api/v1/model;x', '/api/v1/%ff%fe', '/api/v1/%F0%9F%98%80']), rejected(404));
    case 'traversal':
      // nginx refuses a path that climbs above its root outright.
      return get(r.pick(['/assets/../../etc/passwd', '/../../etc/passwd', '/api/../../etc/passwd']), rejected(400, 404), variant);
    case 'internal':
      // The replicas' /metrics, /readyz and /healthz are not public, however the path is spelt.
      return get(r.pick(['/metrics', '/readyz', '/api/metrics', '/api/readyz', '/api/../metrics', '/api/%2e%2e/metrics', '/api/v1/%2e%2e/%2e%2e/readyz', '//metrics', '/metrics/']), rejected(404));
    case 'query': {
      const withQuery = r.pick(['/api/v1/model?x=1', `/api/v1/model?text=${encodeURIComponent(words(r))}`, '/api/v1/openapi.json?v=2']);
      if (r.chance(0.5)) return get(withQuery, rejected(400), 'api-query');
      return { variant: 'classify-query', request: { ...classifyPost(smallValid(r).body), path: `${CLASSIFY_PATH}?text=${encodeURIComponent(words(r))}` }, expect: rejected(400) };
    }
    case 'classify-lookalike': {
      const p = r.pick(['/api/v1/classify/', '/api/v1//classify', '/api/v1/Classify', '/api/v1/classify%2F', '/api/v1/classify.json', '/api//v1/classify']);
      return { variant, request: { ...classifyPost(smallValid(r).body), path: p }, expect: rejected(404, 405) };
    }
    case 'too-long':
      return get(`/api/v1/${'a'.repeat(r.int(9000, 20_000))}`, rejected(414), variant);
    default:
      return get('/api/v1/model%00', rejected(400), variant);
  }
}

function headerOddity(r: Random): CaseDraft {
  const { body, expect } = smallValid(r);
  const variant = r.pick([
    'huge-header', 'header-under-nginx-limit', 'headers-over-node-limit', 'many-headers', 'duplicate-content-length', 'conflicting-content-length',
    'content-length-and-chunked', 'unknown-transfer-coding', 'bad-content-length', 'missing-host', 'two-hosts', 'folded-header',
    'odd-header-name', 'http10-no-host', 'bare-lf', 'absolute-uri', 'expect-continue', 'chunked-valid', 'chunked-bad', 'http2-version', 'latin1-header-value',
  ]);
  const cl = `Content-Length: ${body.length}`;
  const base = ['Host: 127.0.0.1', 'Content-Type: application/json'];
  const plan = (bytes: Uint8Array, e: Expectation): CaseDraft => ({ variant, request: raw([bytes]), expect: e });
  switch (variant) {
    case 'huge-header':
      return plan(rawClassify(body, [`X-Fuzz: ${'a'.repeat(r.int(9000, 30_000))}`]), rejected(400));
    case 'header-under-nginx-limit':
      return plan(rawClassify(body, [`X-Fuzz: ${'a'.repeat(r.int(1000, 7000))}`]), expect);
    case 'headers-over-node-limit':
      // nginx takes up to 4 x 8 KiB of headers and passes them on; Node's limit is 16 KiB: a JSON 431.
      return plan(rawClassify(body, Array.from({ length: 5 }, (_, i) => `X-Fuzz-${i}: ${'b'.repeat(4000)}`)), rejected(431));
    case 'many-headers':
      return plan(rawClassify(body, Array.from({ length: r.int(100, 400) }, (_, i) => `X-Fuzz-${i}: ${'c'.repeat(200)}`)), { answer: 'any', ...expectTexts(expect) });
    case 'duplicate-content-length':
      return plan(rawClassify(body, [cl]), rejected(400));
    case 'conflicting-content-length':
      return plan(rawClassify(body, [`Content-Length: ${body.length + 5}`]), rejected(400));
    case 'content-length-and-chunked':
      return plan(rawBytes(`POST ${CLASSIFY_PATH} HTTP/1.1`, [...base, cl, 'Transfer-Encoding: chunked'], body), rejected(400));
    case 'unknown-transfer-coding':
      return plan(rawBytes(`POST ${CLASSIFY_PATH} HTTP/1.1`, [...base, `Transfer-Encoding: ${r.pick(['gzip', 'chunked, gzip', 'identity', 'x'])}`], body), rejected(400));
    case 'bad-content-length':
      return plan(rawBytes(`POST ${CLASSIFY_PATH} HTTP/1.1`, [...base, `Content-Length: ${r.pick(['-1', 'abc', '1e3', '0x10', '+5', '99999999999999999999999'])}`], body), rejected(400));
    case 'missing-host':
      return plan(rawBytes(`POST ${CLASSIFY_PATH} HTTP/1.1`, ['Content-Type: application/json', cl], body), rejected(400));
    case 'two-hosts':
      return plan(rawClassify(body, ['Host: example.com']), rejected(400));
    case 'folded-header':
      return plan(rawClassify(body, ['X-Fuzz: first', ' folded continuation']), rejected(400));
    case 'odd-header-name':
      return plan(rawClassify(body, [r.pick(['Bad Name: 1', 'X\u0001: 2', 'Ä: 3', ': empty', 'X-Fuzz : spaced'])]), { answer: 'any', ...expectTexts(expect) });
    case 'http10-no-host':
      return plan(rawBytes(`POST ${CLASSIFY_PATH} HTTP/1.0`, ['Content-Type: application/json', cl], body), expect);
    case 'bare-lf':
      return plan(rawBytes(`POST ${CLASSIFY_PATH} HTTP/1.1`, [...base, cl], body, '\n'), expect);
    case 'absolute-uri':
      return plan(rawClassify(body, [], `POST http://localhost${CLASSIFY_PATH} HTTP/1.1`), expect);
    case 'expect-continue':
      return plan(rawClassify(body, ['Expect: 100-continue']), expect);
    case 'chunked-valid':
    case 'chunked-bad': {
      const cut = r.int(1, body.length - 1);
      const chunk = (part: Uint8Array) => concatBytes(utf8(`${part.length.toString(16)}${r.chance(0.3) ? ';ext=1' : ''}\r\n`), part, utf8('\r\n'));
      const chunks = variant === 'chunked-valid' ? concatBytes(chunk(body.slice(0, cut)), chunk(body.slice(cut)), utf8('0\r\n\r\n')) : utf8('zz\r\nabc\r\n0\r\n\r\n');
      return plan(rawBytes(`POST ${CLASSIFY_PATH} HTTP/1.1`, [...base, 'Transfer-Encoding: chunked'], chunks), variant === 'chunked-valid' ? expect : rejected(400));
    }
    case 'http2-version':
      return plan(rawClassify(body, [], `POST ${CLASSIFY_PATH} HTTP/${r.pick(['2.0', '3', '1.2', '0.9', '11.1'])}`), { answer: 'any', ...expectTexts(expect) });
    default:
      return plan(concatBytes(utf8(`POST ${CLASSIFY_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${cl}\r\nX-Fuzz: `), [0x63, 0x61, 0x66, 0xe9], utf8('\r\nConnection: close\r\n\r\n'), body), expect);
  }
}

function expectTexts(expect: Expectation): { texts?: number; spans?: boolean } {
  return expect.answer === 'classify' ? { texts: expect.texts, spans: expect.spans } : {};
}

function rawGarbage(r: Random): CaseDraft {
  const variant = r.pick(['bytes', 'printable', 'tls-hello', 'http2-preface', 'lowercase-method', 'empty-line']);
  const bytes =
    variant === 'bytes' ? r.bytes(r.int(1, 2048)).filter((b) => b !== 10 && b !== 13)
    : variant === 'printable' ? utf8(Array.from({ length: r.int(1, 300) }, () => String.fromCharCode(r.int(33, 126))).join(''))
    : variant === 'tls-hello' ? Uint8Array.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03])
    : variant === 'http2-preface' ? utf8('PRI * HTTP/2.0\r\n\r\nSM')
    : variant === 'lowercase-method' ? utf8(`post ${CLASSIFY_PATH} HTTP/1.1\r\nHost: x`)
    : utf8(' ');
  return { variant, request: raw([concatBytes(bytes.length > 0 ? bytes : utf8('?'), utf8('\r\n\r\n'))]), expect: rejected(400) };
}

/** Splits bytes into `parts` pieces at random places. */
function split(r: Random, bytes: Uint8Array, parts: number): Uint8Array[] {
  const cuts = Array.from({ length: parts - 1 }, () => r.int(1, Math.max(1, bytes.length - 1))).sort((a, b) => a - b);
  return [0, ...cuts, bytes.length].slice(1).map((end, i, ends) => bytes.slice(i === 0 ? 0 : ends[i - 1], end)).filter((c) => c.length > 0);
}

function slowBody(r: Random): CaseDraft {
  const { body, expect } = smallValid(r);
  const variant = r.pick(['trickled-body', 'trickled-headers-and-body', 'trickled-invalid']);
  const request = variant === 'trickled-invalid' ? rawClassify(body.slice(0, -1), []) : rawClassify(body);
  const headLength = request.length - body.length + (variant === 'trickled-invalid' ? 1 : 0);
  const parts = r.int(3, 20);
  const chunks = variant === 'trickled-headers-and-body' ? split(r, request, parts) : [request.slice(0, headLength), ...split(r, request.slice(headLength), parts - 1)];
  // Bounded: the whole request takes at most ~2 s to arrive.
  return { variant, request: raw(chunks, r.int(20, Math.floor(2000 / parts))), expect: variant === 'trickled-invalid' ? rejected(400) : expect };
}

function abortedBody(r: Random): CaseDraft {
  const large = r.chance(0.2);
  const { body } = large ? { body: utf8(JSON.stringify({ texts: Array.from({ length: 32 }, () => words(r, 500, 1000)) })) } : smallValid(r);
  const request = rawClassify(body);
  const headLength = request.length - body.length;
  const variant = r.pick(['hang-up-mid-body', 'hang-up-mid-body', 'hang-up-mid-headers', 'hang-up-awaiting-answer', 'hang-up-awaiting-answer', 'stall-mid-body', 'stall-mid-headers'].slice(0, r.chance(0.15) ? 7 : 5));
  const none: Expectation = { answer: 'none' };
  switch (variant) {
    case 'hang-up-mid-body':
      return { variant, request: raw([request.slice(0, headLength + r.int(0, body.length - 1))], r.int(0, 500), true), expect: none };
    case 'hang-up-mid-headers':
      return { variant, request: raw([request.slice(0, r.int(1, headLength - 2))], r.int(0, 500), true), expect: none };
    case 'hang-up-awaiting-answer':
      return { variant: `${variant}${large ? '-large' : ''}`, request: raw([request], r.int(0, 50), true), expect: none };
    case 'stall-mid-body':
      // Never hangs up: nginx must drop it (client_body_timeout) with no answer owed.
      return { variant, request: raw([request.slice(0, headLength + r.int(0, body.length - 1))]), expect: none };
    default:
      return { variant, request: raw([request.slice(0, r.int(1, headLength - 2))]), expect: none };
  }
}

export const HTTP_KINDS = {
  'wrong-method': wrongMethod,
  'content-type': contentType,
  path,
  'header-oddity': headerOddity,
  'raw-garbage': rawGarbage,
  'slow-body': slowBody,
  'aborted-body': abortedBody,
} as const;
