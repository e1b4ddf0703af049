/**
 * @module body-cases
 * Fuzz cases about the body of POST /api/v1/classify: valid requests (the control group),
 * random bytes, truncated and deeply nested JSON, wrong types, strings at and over the limits,
 * invalid UTF-8, and valid but unusual Unicode.
 */
import { LIMITS } from '../../../functions/src/api/schemas.ts';
import { classifyPost, concatBytes, rejected, utf8, type CaseDraft } from './case.ts';
import type { Random } from './random.ts';
import { codePoints, escapeNonAscii, INVALID_UTF8, unicodeText, words } from './texts.ts';

/** nginx's client_max_body_size (1m) and the function's MAX_BODY_BYTES default: both 1 MiB. */
export const MAX_BODY_BYTES = 1024 * 1024;

interface ClassifyBody {
  text?: string;
  texts?: string[];
  threshold?: number;
  spans?: boolean;
}

/** A valid body whose texts come from `text`; its expectation. */
export function validBody(r: Random, text: () => string): { body: ClassifyBody; texts: number; spans: boolean } {
  const body: ClassifyBody = {};
  let texts = 1;
  if (r.chance(0.6)) body.text = text();
  else {
    texts = r.chance(0.2) ? LIMITS.maxTexts : r.int(1, 5);
    body.texts = Array.from({ length: texts }, text);
  }
  if (r.chance(0.5)) body.threshold = r.pick([0, 1, 0.5, r.float()]);
  const spans = r.chance(0.5);
  if (spans || r.chance(0.3)) body.spans = spans;
  return { body, texts, spans };
}

function valid(r: Random): CaseDraft {
  const { body, texts, spans } = validBody(r, () => words(r));
  return { variant: body.text === undefined ? 'texts' : 'text', request: classifyPost(JSON.stringify(body)), expect: { answer: 'classify', texts, spans } };
}

function randomBytes(r: Random): CaseDraft {
  if (r.chance(0.5)) {
    return { variant: 'bytes', request: classifyPost(r.bytes(r.int(0, 4096))), expect: rejected(400) };
  }
  // JSON-looking soup; without an "x" it cannot spell "text", so it is never a valid request.
  const alphabet = '{}[]":,0123456789.eE+- truefalsn\\/u';
  let soup = '';
  for (let i = r.int(1, 200); i > 0; i--) soup += alphabet[r.int(0, alphabet.length - 1)];
  return { variant: 'json-soup', request: classifyPost(soup), expect: rejected(400) };
}

function truncatedJson(r: Random): CaseDraft {
  const { body } = validBody(r, () => (r.chance(0.5) ? words(r) : unicodeText(r).text));
  const full = utf8(JSON.stringify(body));
  const variant = r.pick(['cut', 'cut', 'trailing-garbage', 'two-objects']);
  if (variant === 'cut') return { variant, request: classifyPost(full.slice(0, r.int(0, full.length - 1))), expect: rejected(400) };
  const tail = variant === 'two-objects' ? full : utf8(r.pick(['x', ',', '}', ']', '"', 'null', '\u0000']));
  return { variant, request: classifyPost(concatBytes(full, tail)), expect: rejected(400) };
}

function deepNesting(r: Random): CaseDraft {
  const shape = r.pick(['arrays', 'objects', 'mixed', 'unclosed']);
  // 10k+ levels, as many as fit under the body limit.
  const perLevel = shape === 'arrays' || shape === 'unclosed' ? 2 : shape === 'objects' ? 6 : 8;
  const depth = r.int(10_000, Math.floor((MAX_BODY_BYTES - 64) / perLevel));
  const nested =
    shape === 'arrays' ? `${'['.repeat(depth)}${']'.repeat(depth)}`
    : shape === 'objects' ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
    : shape === 'mixed' ? `${'[{"a":'.repeat(depth)}1${'}]'.repeat(depth)}`
    : '['.repeat(depth);
  const where = r.pick(['top', 'text', 'texts', 'threshold', 'spans', 'extra']);
  const json = where === 'top' ? nested : where === 'extra' ? `{"text":"hello","extra":${nested}}` : `{${where === 'text' ? '' : '"text":"hi",'}"${where}":${nested}}`;
  return { variant: `${shape}-in-${where}`, request: classifyPost(json), expect: rejected(400) };
}

/** JSON source of values that are wrong for each field (null is not: it means "default" for threshold and spans). */
const WRONG: Readonly<Record<string, readonly string[]>> = {
  text: ['null', 'true', 'false', '0', '-1', '3.14', '1e309', '[]', '["a"]', '{}', '{"text":"a"}', '""', '"   "', '"\\n\\t"', '"\\u3000\\u00a0"'],
  texts: ['null', '"a"', '{}', '[]', '1', 'true', '[1]', '[null]', '["a",5]', '[["a"]]', '["","a"]', '[true]', '[{}]', `[${Array(LIMITS.maxTexts + 1).fill('"a"').join(',')}]`],
  threshold: ['-0.0001', '1.0001', '-1', '2', '1e309', '-1e309', 'true', '[]', '{}', '"0.5"', '"NaN"', '[0.5]'],
  spans: ['1', '0', '"true"', '"false"', '[]', '{}', '[true]'],
  top: ['[]', '[{"text":"a"}]', '"text"', '1', 'true', 'null', '{}', '{"text":"a","texts":["b"]}', '{"Text":"a"}', '{"text ":"a"}', '{"text":"a","extra":1}', '{"__proto__":{"text":"a"}}', '{"text":"a","__proto__":null}'],
};

function wrongTypes(r: Random): CaseDraft {
  const field = r.pick(Object.keys(WRONG));
  const wrong = r.pick(WRONG[field]!);
  const text = JSON.stringify(words(r));
  const json =
    field === 'top' ? wrong
    : field === 'text' ? `{"text":${wrong}}`
    : field === 'texts' ? `{"texts":${wrong}}`
    : `{"text":${text},"${field}":${wrong}}`;
  return { variant: field, request: classifyPost(json), expect: rejected(400) };
}

/** Pads `{"text":"..."}` with "a"s to exactly `bytes` bytes. */
function bodyOfSize(bytes: number): Uint8Array {
  const overhead = '{"text":""}'.length;
  return utf8(`{"text":"${'a'.repeat(bytes - overhead)}"}`);
}

function hugeStrings(r: Random): CaseDraft {
  const max = LIMITS.maxChars;
  const variant = r.pick(['at-char-limit', 'over-char-limit', 'emoji-at-limit', 'emoji-over-limit', 'cjk-at-limit', 'max-texts-at-limit', 'body-at-byte-limit', 'body-over-byte-limit', 'body-far-over', 'chunked-over']);
  switch (variant) {
    case 'at-char-limit':
    case 'emoji-at-limit':
    case 'cjk-at-limit': {
      const alphabet = variant === 'emoji-at-limit' ? 'emoji' : variant === 'cjk-at-limit' ? 'cjk' : 'ascii';
      const spans = r.chance(0.5);
      return { variant, request: classifyPost(JSON.stringify({ text: codePoints(r, max, alphabet), spans })), expect: { answer: 'classify', texts: 1, spans } };
    }
    case 'over-char-limit':
      return { variant, request: classifyPost(JSON.stringify({ text: codePoints(r, max + r.int(1, 3)) })), expect: rejected(400) };
    case 'emoji-over-limit':
      return { variant, request: classifyPost(JSON.stringify({ texts: ['ok', codePoints(r, max + 1, 'emoji')] })), expect: rejected(400) };
    case 'max-texts-at-limit':
      // 32 texts of 20,000 characters: the most work one request may ask for (about 640 KB).
      return {
        variant,
        request: classifyPost(JSON.stringify({ texts: Array.from({ length: LIMITS.maxTexts }, () => codePoints(r, max)) })),
        expect: { answer: 'classify', texts: LIMITS.maxTexts, spans: false },
      };
    case 'body-at-byte-limit':
      // Passes nginx and the function's byte limit; one text of ~1M characters is then a 400.
      return { variant, request: classifyPost(bodyOfSize(MAX_BODY_BYTES - r.int(0, 16))), expect: rejected(400) };
    case 'body-over-byte-limit':
      return { variant, request: classifyPost(bodyOfSize(MAX_BODY_BYTES + r.int(1, 16))), expect: rejected(413) };
    case 'body-far-over':
      return { variant, request: classifyPost(bodyOfSize(r.int(2, 4) * MAX_BODY_BYTES)), expect: rejected(413) };
    default:
      return { variant, request: { ...classifyPost(bodyOfSize(MAX_BODY_BYTES + r.int(1, 200_000))), chunked: true }, expect: rejected(413) };
  }
}

function invalidUtf8(r: Random): CaseDraft {
  const family = r.pick(Object.keys(INVALID_UTF8));
  const bad = r.pick(INVALID_UTF8[family]!);
  const where = r.pick(['text', 'text', 'key', 'between', 'start', 'end']);
  const text = words(r, 1, 8);
  const pieces: Array<Uint8Array | readonly number[]> =
    where === 'text' ? [utf8(`{"text":"${text} `), bad, utf8(` ${text}"}`)]
    : where === 'key' ? [utf8('{"te'), bad, utf8(`xt":"${text}"}`)]
    : where === 'between' ? [utf8(`{"text":"${text}"`), bad, utf8('}')]
    : where === 'start' ? [bad, utf8(`{"text":"${text}"}`)]
    : [utf8(`{"text":"${text} `), bad];
  return { variant: `${family}-${where}`, request: classifyPost(concatBytes(...pieces), { 'content-type': 'application/json; charset=utf-8' }), expect: rejected(400) };
}

function unicode(r: Random): CaseDraft {
  const families = new Set<string>();
  const { body, texts, spans } = validBody(r, () => {
    const made = unicodeText(r);
    made.families.forEach((f) => families.add(f));
    return made.text;
  });
  let json = JSON.stringify(body);
  const escaped = r.chance(0.3);
  if (escaped) json = escapeNonAscii(json);
  return {
    variant: `${[...families].sort().join('+')}${escaped ? ' (escaped)' : ''}`,
    request: classifyPost(json),
    expect: { answer: 'classify', texts, spans },
  };
}

export const BODY_KINDS = {
  valid,
  'random-bytes': randomBytes,
  'truncated-json': truncatedJson,
  'deep-nesting': deepNesting,
  'wrong-types': wrongTypes,
  'huge-strings': hugeStrings,
  'invalid-utf8': invalidUtf8,
  unicode,
} as const;
