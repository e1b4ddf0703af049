/**
 * The committed offline model is exactly what `npm run model:train-offline` produces: retrain
 * into a temporary folder and compare every file byte for byte.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

const modelRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx', 'onnx/model_quantized.onnx'];
const out = mkdtempSync(path.join(tmpdir(), 'offline-model-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

it('retraining reproduces the committed files byte for byte', async () => {
  await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(modelRoot, 'train-offline.ts'), '--out', out], {
    cwd: path.dirname(modelRoot),
    maxBuffer: 16 << 20,
  });
  for (const file of FILES) {
    expect(sha256(path.join(out, 'unitary/toxic-bert', file)), file).toBe(sha256(path.join(modelRoot, 'offline/unitary/toxic-bert', file)));
  }
}, 180_000);
