/**
 * @module config-json
 * The config.json of the offline model: toxic-bert's interface (architecture name, multi-label
 * problem type, the six labels in its order), so transformers.js applies a sigmoid per label and
 * names the scores exactly as it does for the real model.
 */
import { LABELS } from './labels.ts';
import { MODEL_MAX_LENGTH } from './tokenizer-json.ts';

export function configJson(vocabSize: number, embeddingDim: number, hiddenSize: number): object {
  return {
    _comment:
      'Offline stand-in for unitary/toxic-bert, trained by model/train-offline.ts on Davidson et al. 2017 tweets; ' +
      'same inputs, outputs and labels, far weaker scores. See model/README.md.',
    toxicity_monitor_offline: true,
    architectures: ['BertForSequenceClassification'],
    model_type: 'bert',
    problem_type: 'multi_label_classification',
    id2label: Object.fromEntries(LABELS.map((label, i) => [String(i), label])),
    label2id: Object.fromEntries(LABELS.map((label, i) => [label, i])),
    num_labels: LABELS.length,
    vocab_size: vocabSize,
    max_position_embeddings: MODEL_MAX_LENGTH,
    type_vocab_size: 2,
    pad_token_id: 0,
    // Not BERT's sizes: the embedding width and the hidden layer of the pooled classifier.
    hidden_size: embeddingDim,
    intermediate_size: hiddenSize,
  };
}
