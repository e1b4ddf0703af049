/**
 * @module handlers
 * POST /v1alpha1/comments:analyze and /v1alpha1/comments:suggestscore in Perspective's format,
 * scored by the same engine as /api/v1/classify (scoring.ts). The `?key=` Perspective clients
 * send is accepted here (and never logged: the replicas log no URLs, and nginx logs these paths
 * without their query); checking it is the edge's job when keys are configured.
 */
import type { Context } from 'hono';
import type { LabelScores } from '../../model/labels.ts';
import { parseJsonBody } from '../classify-request.ts';
import { scoreTexts, type ScoringContext } from '../scoring.ts';
import { issueDetails, validated, type Issue } from '../validate.ts';
import { attributeKind, isEnglish } from './attributes.ts';
import { PerspectiveError } from './errors.ts';
import {
  AnalyzeCommentRequestSchema,
  SuggestCommentScoreRequestSchema,
  type AnalyzeCommentRequest,
  type AnalyzeCommentResponse,
  type SuggestCommentScoreResponse,
} from './schemas.ts';

/** Perspective's limit: "The maximum text size per request is 20 KB." */
export const MAX_COMMENT_BYTES = 20_480;
/** The threshold the service's flag metrics use; Perspective itself flags nothing. */
const METRICS_THRESHOLD = 0.5;

const details = (issues: readonly Issue[]) =>
  issueDetails(issues, (key, at) => `Unknown name "${key}"${at ? ` at '${at}'` : ''}: Cannot find field.`).map((d) =>
    d.message.startsWith('Unknown name') ? d : { ...d, message: `Invalid value at '${d.field}': ${d.message}` },
  );
const firstDetail = (found: readonly { message: string }[]) => found[0]!.message;

async function readBody(c: Context): Promise<unknown> {
  return parseJsonBody(new Uint8Array(await c.req.arrayBuffer()));
}

/** The comment's text, or Perspective's error for an empty, too long or non-plain-text comment. */
function commentText(comment: AnalyzeCommentRequest['comment']): string {
  if (comment?.type === 'HTML') throw new PerspectiveError('INVALID_REQUEST', "Currently, only 'PLAIN_TEXT' comments are supported");
  const text = comment?.text ?? '';
  if (text.trim().length === 0) throw new PerspectiveError('COMMENT_EMPTY', 'Comment must be non-empty.');
  if (Buffer.byteLength(text, 'utf8') > MAX_COMMENT_BYTES) throw new PerspectiveError('COMMENT_TOO_LONG', 'Comment text too long.');
  return text;
}

interface Wanted {
  name: string;
  label: keyof LabelScores;
  threshold: number | undefined;
}

/** The requested attributes this service scores, or Perspective's error for the others. */
function wantedAttributes(request: AnalyzeCommentRequest, languages: readonly string[]): Wanted[] {
  const requested = Object.entries(request.requestedAttributes ?? {});
  if (requested.length === 0) throw new PerspectiveError('NO_REQUESTED_ATTRIBUTES', 'Missing requested_attributes');
  const drop = request.dropUnsupportedAttributes === true;
  const wanted: Wanted[] = [];
  for (const [name, parameters] of requested) {
    const kind = attributeKind(name);
    if ('unknown' in kind) throw new PerspectiveError('INVALID_REQUEST', `Unknown requested attribute: ${name}`);
    const type = parameters.scoreType;
    if (type !== undefined && type !== 'PROBABILITY' && type !== 'SCORE_TYPE_UNSPECIFIED') {
      throw new PerspectiveError('INVALID_REQUEST', `Requested score type ${type} is not supported by attribute ${name}`);
    }
    const unsupported = 'notServed' in kind || !languages.every(isEnglish);
    if (unsupported) {
      if (drop) continue;
      throw new PerspectiveError('LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE', `Attribute ${name} does not support request languages: ${languages.join(', ')}`, {
        languageNotSupportedByAttributeError: { detectedLanguages: [], attribute: name },
      });
    }
    wanted.push({ name, label: kind.served, threshold: parameters.scoreThreshold });
  }
  return wanted;
}

const probability = (value: number) => ({ value, type: 'PROBABILITY' as const });

export function analyzeHandler(context: ScoringContext) {
  return async (c: Context): Promise<Response> => {
    const started = performance.now();
    const request = validated(AnalyzeCommentRequestSchema, await readBody(c), details, firstDetail);
    const text = commentText(request.comment);
    if (request.context?.entries && request.context.articleAndParentComment) {
      throw new PerspectiveError('INVALID_REQUEST', 'Context can have either entries or article_and_parent_comment, but both fields were populated.');
    }
    const languages = request.languages && request.languages.length > 0 ? request.languages : ['en'];
    const wanted = wantedAttributes(request, languages);
    const response: AnalyzeCommentResponse = { languages };
    if (request.clientToken !== undefined) response.clientToken = request.clientToken;
    if (wanted.length === 0) return c.json(response);

    const spans = request.spanAnnotations === true;
    const [result] = (await scoreTexts(c, context, 'perspective', [text], { threshold: METRICS_THRESHOLD, spans }, started)).results;
    const scores: NonNullable<AnalyzeCommentResponse['attributeScores']> = {};
    for (const { name, label, threshold } of wanted) {
      const value = result!.scores[label];
      if (threshold !== undefined && value < threshold) continue;
      scores[name] = {
        summaryScore: probability(value),
        ...(spans ? { spanScores: result!.spans!.map((s) => ({ begin: s.begin, end: s.end, score: probability(s.scores[label]) })) } : {}),
      };
    }
    // Perspective leaves attributeScores out when every attribute is under its threshold.
    return c.json(Object.keys(scores).length > 0 ? { attributeScores: scores, ...response } : response);
  };
}

/**
 * Feedback on a score. Validated as Perspective validates it and answered as Perspective answers
 * it; nothing is stored and nothing is learnt from it.
 */
export function suggestScoreHandler() {
  return async (c: Context): Promise<Response> => {
    const request = validated(SuggestCommentScoreRequestSchema, await readBody(c), details, firstDetail);
    commentText(request.comment);
    const scores = Object.entries(request.attributeScores ?? {});
    if (scores.length === 0) throw new PerspectiveError('INVALID_REQUEST', 'attribute_scores must not be empty.');
    for (const [name, score] of scores) {
      if (!score.summaryScore && !score.spanScores?.length) throw new PerspectiveError('INVALID_REQUEST', `Attribute scores for ${name} must not be empty.`);
      if (score.spanScores?.some((s) => s.begin === undefined || s.end === undefined)) {
        throw new PerspectiveError('INVALID_REQUEST', `All span scores for ${name} must have begin and end set.`);
      }
    }
    const response: SuggestCommentScoreResponse = {};
    if (request.clientToken !== undefined) response.clientToken = request.clientToken;
    if (request.languages?.length) response.requestedLanguages = request.languages;
    return c.json(response);
  };
}
