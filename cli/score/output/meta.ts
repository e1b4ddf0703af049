/**
 * @module meta
 * `<output>.meta.json`: which model made an output (the weights' sha256 and revision), from
 * where, at which threshold, from which input and column. Results are cited by it, and
 * --resume reads it to refuse continuing a file with another model or other options.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EXIT, ScoreError } from '../exit-codes.ts';
import type { InputFormat } from '../input/input-row.ts';
import type { ModelIdentity } from '../scorer.ts';
import type { OutputFormat } from './row-format.ts';

export interface RunMeta {
  tool: 'toxicity-monitor score';
  model: ModelIdentity;
  /** The service's URL, or "in process" for --local. */
  source: string;
  threshold: number;
  input: { file: string; bytes: number; format: InputFormat; column: string | null; id_column: string | null };
  output: { format: OutputFormat; columns: string[] | null };
  started_at: string;
  /** Set when every input row has its output row. */
  finished_at: string | null;
  rows: number | null;
}

export const metaPath = (output: string) => `${output}.meta.json`;

export async function readMeta(output: string): Promise<RunMeta | undefined> {
  let text: string;
  try {
    text = await readFile(metaPath(output), 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as RunMeta;
  } catch {
    throw new ScoreError(EXIT.output, `${metaPath(output)} is not valid JSON`);
  }
}

/** Through a temporary file, so a kill never leaves half of it. */
export async function writeMeta(output: string, meta: RunMeta): Promise<void> {
  const file = metaPath(output);
  await writeFile(`${file}.tmp`, `${JSON.stringify(meta, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
}

/**
 * Throws unless `planned` may continue the output `previous` describes: same model, same
 * threshold, same input and the same reading of it.
 */
export function checkContinuable(output: string, previous: RunMeta, planned: RunMeta): void {
  if (previous.model.sha256 !== planned.model.sha256) {
    throw new ScoreError(
      EXIT.model,
      `${output} was scored by weights sha256 ${previous.model.sha256}, and the model now is ${planned.model.sha256}; ` +
        'one output holds one model: write to a new file, or --overwrite',
    );
  }
  const differences = [
    previous.threshold !== planned.threshold && `--threshold ${previous.threshold}`,
    // By name: the same file may be given by another path from another folder.
    path.basename(previous.input.file) !== path.basename(planned.input.file) && `the input ${previous.input.file}`,
    previous.input.bytes !== planned.input.bytes && `an input of ${previous.input.bytes} bytes (it now has ${planned.input.bytes})`,
    previous.input.format !== planned.input.format && `--format ${previous.input.format}`,
    previous.input.column !== planned.input.column && `--column ${previous.input.column}`,
    previous.input.id_column !== planned.input.id_column && (previous.input.id_column ? `--id-column ${previous.input.id_column}` : 'no --id-column'),
    previous.output.format !== planned.output.format && `--output-format ${previous.output.format}`,
  ].filter((d): d is string => typeof d === 'string');
  if (differences.length > 0) {
    throw new ScoreError(EXIT.output, `${output} was written with ${differences.join(', ')}; resume it with the same options, or --overwrite`);
  }
}
