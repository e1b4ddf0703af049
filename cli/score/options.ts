/**
 * @module options
 * The command line of `toxicity-monitor score`, read with node:util's parseArgs and checked
 * before anything starts: every mistake is one message and exit code 2.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { EXIT, EXIT_CODES_HELP, ScoreError } from './exit-codes.ts';
import type { InputFormat } from './input/input-row.ts';
import type { OutputFormat } from './output/row-format.ts';
import type { ScoreOptions } from './run.ts';
import { API_KEY_VARIABLE } from './service-scorer.ts';

export const DEFAULT_URL = 'http://localhost:8080';
const DEFAULT_GIVE_UP_SECONDS = 300;

export const USAGE = `usage: toxicity-monitor score INPUT -o OUTPUT [options]
       npm run score -- INPUT -o OUTPUT [options]

Scores every text of INPUT with the toxicity monitor and writes one row per input row to
OUTPUT, in input order, with the six label scores, flagged, labels, tokens and windows
(1: scored whole; more: a long text scored in pieces). OUTPUT.meta.json records the model
(weights sha256, revision), the service and the options.

input:
  INPUT                   .csv (with a header), .jsonl/.ndjson (one object per line), or
                          anything else: plain text, one text per line
  -f, --format F          csv, jsonl or text, instead of guessing from the extension
  -c, --column NAME       the CSV column or JSONL field holding the text (default: text)
      --id-column NAME    a column or field copied to the output as "id"
output:
  -o, --output FILE       .csv or .jsonl (or say which with --output-format)
      --output-format F   csv or jsonl
      --resume            continue an interrupted run from the rows OUTPUT already holds
      --overwrite         replace OUTPUT if it exists
      --threshold X       a label is flagged at or above X (0..1, default 0.5)
scoring:
      --url URL           the service (default ${DEFAULT_URL}); with API keys on, the key
                          is read from ${API_KEY_VARIABLE} (never an argument: ps shows those)
      --local             no service: load the model in this process (MODEL_DIR,
                          MODEL_DTYPE, ORT_THREADS... as the service reads them)
      --workers N         with --local: inference workers, one per core (default ${os.availableParallelism()})
      --batch-size N      texts per request, 1 to 32 (default 32)
      --concurrency N     most requests in flight (default 8; --local: 4 per worker); the
                          scorer sends fewer while the service answers 429 or 503
      --expect-model SHA  refuse to score unless the weights' sha256 is SHA (or starts with it)
      --give-up-after S   stop when nothing could be scored for S seconds (default ${DEFAULT_GIVE_UP_SECONDS})
      --progress P        bar, lines or none (default: a bar on a terminal, else a line every 10 s)
  -h, --help

${EXIT_CODES_HELP}`;

function usage(message: string): never {
  throw new ScoreError(EXIT.usage, `${message} (toxicity-monitor score --help lists the options)`);
}

function number(name: string, raw: string | undefined, fallback: number, min: number, max: number, integer = true): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    usage(`--${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function oneOf<T extends string>(name: string, raw: string | undefined, allowed: readonly T[]): T | undefined {
  if (raw === undefined) return undefined;
  if (!allowed.includes(raw as T)) usage(`--${name} must be ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

function outputFormatOf(file: string, given: OutputFormat | undefined): OutputFormat {
  if (given) return given;
  const lower = file.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  return usage(`cannot tell the output format from "${file}": name it .csv or .jsonl, or give --output-format`);
}

/** `undefined` for --help. */
export function parseScoreArgs(args: string[]): ScoreOptions | undefined {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        output: { type: 'string', short: 'o' },
        format: { type: 'string', short: 'f' },
        'output-format': { type: 'string' },
        column: { type: 'string', short: 'c' },
        'id-column': { type: 'string' },
        url: { type: 'string' },
        local: { type: 'boolean', default: false },
        workers: { type: 'string' },
        threshold: { type: 'string' },
        'batch-size': { type: 'string' },
        concurrency: { type: 'string' },
        resume: { type: 'boolean', default: false },
        overwrite: { type: 'boolean', default: false },
        'expect-model': { type: 'string' },
        'give-up-after': { type: 'string' },
        progress: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    return usage((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return undefined;
  if (positionals.length !== 1) usage(positionals.length === 0 ? 'name the input file' : `one input file, got ${positionals.length}`);
  if (!values.output) usage('name the output file with -o');
  if (values.resume && values.overwrite) usage('--resume and --overwrite contradict each other');
  if (values.local && values.url) usage('--local scores in this process; --url names a service: give one');
  const expect = values['expect-model']?.toLowerCase();
  if (expect !== undefined && !/^[0-9a-f]{8,64}$/.test(expect)) usage(`--expect-model must be a sha256 or at least its first 8 hex digits, got "${values['expect-model']}"`);
  const url = values.url ?? DEFAULT_URL;
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) usage(`--url must be an http(s) URL, got "${url}"`);
  return {
    input: positionals[0]!,
    output: values.output,
    format: oneOf<InputFormat>('format', values.format, ['csv', 'jsonl', 'text']),
    outputFormat: outputFormatOf(values.output, oneOf<OutputFormat>('output-format', values['output-format'], ['csv', 'jsonl'])),
    column: values.column ?? 'text',
    idColumn: values['id-column'],
    url,
    local: values.local,
    workers: number('workers', values.workers, os.availableParallelism(), 1, 64),
    threshold: number('threshold', values.threshold, 0.5, 0, 1, false),
    batchSize: number('batch-size', values['batch-size'], 32, 1, 32),
    concurrency: values.concurrency === undefined ? undefined : number('concurrency', values.concurrency, 8, 1, 256),
    resume: values.resume,
    overwrite: values.overwrite,
    expectModel: expect,
    giveUpAfterMs: number('give-up-after', values['give-up-after'], DEFAULT_GIVE_UP_SECONDS, 1, 86_400) * 1000,
    progress: oneOf('progress', values.progress, ['bar', 'lines', 'none'] as const) ?? 'auto',
  };
}
