/**
 * @module model-dir-option
 * `--model-dir DIR` of the benchmarks that need the toxic-bert-sized stand-in: the folder that
 * holds `unitary/toxic-bert/` with its q8 weights, checked before anything starts.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { missingFiles, ONNX_FILE } from '../../functions/src/model/location.ts';

export const BENCH_MODEL_ID = 'unitary/toxic-bert';
export const BENCH_DTYPE = 'q8';

/** The absolute model folder; exits 2 naming what is missing (`tool` is the npm script's name). */
export function modelDirOption(tool: string): string {
  const { values } = parseArgs({ options: { 'model-dir': { type: 'string' } } });
  const dir = values['model-dir'];
  const missing = dir ? missingFiles(path.resolve(dir), BENCH_MODEL_ID, BENCH_DTYPE) : ['--model-dir'];
  if (!dir || missing.length > 0) {
    process.stderr.write(`${tool}: give --model-dir DIR holding ${BENCH_MODEL_ID}/ with onnx/${ONNX_FILE[BENCH_DTYPE]} (missing: ${missing.join(', ')})\n`);
    process.exit(2);
  }
  return path.resolve(dir);
}
