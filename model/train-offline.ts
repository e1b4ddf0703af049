/**
 * @module train-offline
 * Entry point (`npx tsx model/train-offline.ts`): builds the offline stand-in for
 * unitary/toxic-bert from data/davidson-tweets/train.csv and writes it to
 * model/offline/unitary/toxic-bert/ (config, tokenizer, fp32 and q8 ONNX), then scores
 * data/davidson-tweets/dev.csv through the written files and prints a report.
 * Deterministic: two runs write byte-identical files.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { configJson } from './train/config-json.ts';
import { loadTweets } from '../tools/lib/tweets.ts';
import { auc, rocCurve } from '../tools/eval/metrics.ts';
import { onnxLogits } from './train/evaluate.ts';
import { exportOnnx } from './train/export-onnx.ts';
import { LABELS, lossWeights, majorityTruth, neitherWeight, targetsFor } from './train/labels.ts';
import { tokenizerConfigJson, tokenizerJson } from './train/tokenizer-json.ts';
import { predictLogits, trainClassifier, type Example, type TrainOptions } from './train/train.ts';
import { buildVocab, SPECIAL_TOKENS, type VocabOptions } from './train/vocab.ts';

const MODEL_ID = 'unitary/toxic-bert';
const root = dirname(fileURLToPath(import.meta.url));
// `--out DIR` writes elsewhere (the reproducibility test compares that with the committed files).
const { values } = parseArgs({ options: { out: { type: 'string' } } });
const localModelPath = values.out ? resolve(values.out) : join(root, 'offline');
const outDir = join(localModelPath, MODEL_ID);
const dataDir = join(root, '..', 'data', 'davidson-tweets');

/** About 13k entries; chosen on a split of train.csv (never dev.csv), where larger vocabs gained nothing. */
const VOCAB: VocabOptions = { minWordCount: 2, minCharCount: 2, continuationPieces: 2000, maxPieceLength: 5, maxWords: 20000 };
/** Also chosen on a split of train.csv: wider or longer training did not raise validation AUC. */
const TRAIN: TrainOptions = {
  dim: 32,
  hidden: 64,
  epochs: 6,
  batchSize: 32,
  learningRate: 0.003,
  tokenDropout: 0.1,
  zeroTokenIds: (['[PAD]', '[CLS]', '[SEP]', '[MASK]'] as const).map((t) => SPECIAL_TOKENS.indexOf(t)),
  seed: 20170301,
};

function writeJson(path: string, value: object): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
const train = loadTweets(join(dataDir, 'train.csv'));
const dev = loadTweets(join(dataDir, 'dev.csv'));

const vocab = buildVocab(train.map((r) => r.text), VOCAB);
mkdirSync(join(outDir, 'onnx'), { recursive: true });
writeJson(join(outDir, 'tokenizer.json'), tokenizerJson(vocab));
writeJson(join(outDir, 'tokenizer_config.json'), tokenizerConfigJson());
writeJson(join(outDir, 'config.json'), configJson(vocab.length, TRAIN.dim, TRAIN.hidden));

// Train on the ids of the tokenizer just written, loaded the way the service loads it, so
// training and serving can never disagree on tokenization.
env.allowRemoteModels = false;
env.localModelPath = `${localModelPath}/`;
const tokenizer = await AutoTokenizer.from_pretrained(MODEL_ID);
const balance = neitherWeight(train);
const examples: Example[] = train.map((r) => ({
  ids: Int32Array.from(tokenizer.encode(r.text)),
  targets: targetsFor(r),
  weights: lossWeights(r, balance),
}));
console.log(`vocab ${vocab.length} entries; ${examples.length} training tweets tokenized at ${seconds()} s`);
console.log(`"neither" tweets weigh ${balance.toFixed(3)} in the toxic, obscene and insult losses`);

const model = trainClassifier(examples, vocab.length, LABELS.length, TRAIN, ({ epoch, meanLoss }) =>
  console.log(`epoch ${epoch}/${TRAIN.epochs}: mean BCE ${meanLoss.toFixed(4)} at ${seconds()} s`),
);

const files = { fp32: join(outDir, 'onnx', 'model.onnx'), q8: join(outDir, 'onnx', 'model_quantized.onnx') };
writeFileSync(files.fp32, exportOnnx(model, false));
writeFileSync(files.q8, exportOnnx(model, true));

const devTexts = dev.map((r) => r.text);
const devTargets = dev.map(targetsFor);
/** toxic and identity_hate against the human majority; the four weak labels against their weak targets. */
const truthOf = (label: number): (0 | 1)[] => {
  const name = LABELS[label];
  if (name === 'toxic' || name === 'identity_hate') return dev.map((r) => majorityTruth(r, name));
  return devTargets.map((t) => ((t[label] as number) >= 0.5 ? 1 : 0));
};

const report: Record<string, Record<string, string>> = {};
for (const [variant, path] of Object.entries(files)) {
  const logits = await onnxLogits(path, tokenizer, devTexts);
  if (variant === 'fp32') {
    // The exported graph must compute what was trained: compare with the TypeScript forward pass.
    let maxDiff = 0;
    dev.forEach((r, i) => {
      const ref = predictLogits(model, Int32Array.from(tokenizer.encode(r.text)));
      ref.forEach((v, l) => (maxDiff = Math.max(maxDiff, Math.abs(v - (logits[i]?.[l] as number)))));
    });
    if (maxDiff > 1e-3) throw new Error(`model.onnx disagrees with the trained model by ${maxDiff}`);
    console.log(`model.onnx matches the trained model (max logit difference ${maxDiff.toExponential(1)})`);
  }
  report[variant] = Object.fromEntries(
    LABELS.map((name, l) => [name, auc(rocCurve(logits.map((x) => x[l] as number), truthOf(l).map((y) => y === 1))).toFixed(4)]),
  );
}

console.log(`\ndev.csv ROC AUC (${dev.length} tweets; toxic and identity_hate vs the majority class, others vs weak targets):`);
console.table(report);
const positives = LABELS.map((name, l) => `${name} ${truthOf(l).filter((y) => y === 1).length}`);
console.log(`dev positives: ${positives.join(', ')}`);
for (const path of [...Object.values(files), join(outDir, 'tokenizer.json')]) {
  console.log(`${path.slice(root.length + 1)}: ${(statSync(path).size / 1024).toFixed(0)} KiB`);
}
console.log(`done in ${seconds()} s`);
