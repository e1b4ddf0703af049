import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { locateModel, ModelNotFoundError, requiredFiles } from './location.ts';

const MODEL_ID = 'unitary/toxic-bert';
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'location-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A folder holding the q8 model's files (empty files: only their presence is looked at). */
function modelFolder(name: string, skip: string[] = []): string {
  const root = path.join(dir, name);
  for (const file of requiredFiles('q8').filter((f) => !skip.includes(f))) {
    mkdirSync(path.dirname(path.join(root, MODEL_ID, file)), { recursive: true });
    writeFileSync(path.join(root, MODEL_ID, file), '');
  }
  return root;
}

const locate = (modelDir: string, explicitModel: boolean) =>
  locateModel({ modelDir, offlineModelDir: modelFolder('stand-in'), modelId: MODEL_ID, dtype: 'q8', explicitModel });

describe('locateModel', () => {
  it('loads the model from MODEL_DIR when its files are there', () => {
    const weights = modelFolder('weights');
    expect(locate(weights, true)).toEqual({ root: weights, offline: false });
    expect(locate(weights, false)).toEqual({ root: weights, offline: false });
  });

  it('falls back to the stand-in when nothing chose the model', () => {
    expect(locate(path.join(dir, 'nothing'), false)).toEqual({ root: path.join(dir, 'stand-in'), offline: true });
  });

  it('refuses a chosen model that is missing, naming the files and what to do', () => {
    const partial = modelFolder('partial', ['onnx/model_quantized.onnx']);
    expect(() => locate(partial, true)).toThrow(ModelNotFoundError);
    expect(() => locate(partial, true)).toThrow(/unitary\/toxic-bert\/onnx\/model_quantized\.onnx missing.*npm run model:fetch/);
  });
});
