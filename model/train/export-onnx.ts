/**
 * @module export-onnx
 * Lays the trained classifier out as an ONNX graph with toxic-bert's interface: int64 inputs
 * input_ids, attention_mask, token_type_ids of shape [batch_size, sequence_length] and float32
 * logits [batch_size, 6]. Two variants: fp32, and q8 with int8 weights behind DequantizeLinear.
 */
import { DataType, encodeModel, type Node, type Tensor, type ValueInfo } from './onnx-writer.ts';
import { quantizePerColumn, quantizePerTensor } from './quantize.ts';
import type { Classifier } from './train.ts';

const IR_VERSION = 8;
const OPSET = 13;
/** Added to padded positions before max pooling; far below any embedding value. */
const PAD_PENALTY = 1e4;

const f32 = (name: string, dims: number[], data: Float32Array): Tensor => ({ name, dataType: DataType.FLOAT, dims, data });
const i64 = (name: string, values: number[]): Tensor => ({
  name,
  dataType: DataType.INT64,
  dims: [values.length],
  data: BigInt64Array.from(values, (v) => BigInt(v)),
});

/**
 * Weights in the chosen precision: fp32 initializers as they are, or int8 initializers each
 * followed by a DequantizeLinear node that yields the float tensor the rest of the graph uses.
 */
function weights(m: Classifier, quantized: boolean): { initializers: Tensor[]; nodes: Node[]; embeddingGather: Node[] } {
  const { vocabSize, dim, hidden, labels } = m;
  if (!quantized) {
    return {
      initializers: [
        f32('embedding', [vocabSize, dim], m.embedding),
        f32('w1', [2 * dim, hidden], m.w1),
        f32('w2', [hidden, labels], m.w2),
      ],
      nodes: [],
      embeddingGather: [{ op: 'Gather', inputs: ['embedding', 'input_ids'], outputs: ['token_vectors'] }],
    };
  }
  const int8 = (name: string, dims: number[], data: Int8Array): Tensor => ({ name, dataType: DataType.INT8, dims, data });
  const e = quantizePerTensor(m.embedding);
  const w1 = quantizePerColumn(m.w1, 2 * dim, hidden);
  const w2 = quantizePerColumn(m.w2, hidden, labels);
  return {
    initializers: [
      int8('embedding_q', [vocabSize, dim], e.values),
      f32('embedding_scale', [], e.scales),
      int8('embedding_zero', [], new Int8Array(1)),
      int8('w1_q', [2 * dim, hidden], w1.values),
      f32('w1_scale', [hidden], w1.scales),
      int8('w1_zero', [hidden], new Int8Array(hidden)),
      int8('w2_q', [hidden, labels], w2.values),
      f32('w2_scale', [labels], w2.scales),
      int8('w2_zero', [labels], new Int8Array(labels)),
    ],
    nodes: [
      { op: 'DequantizeLinear', inputs: ['w1_q', 'w1_scale', 'w1_zero'], outputs: ['w1'], attributes: { axis: { i: 1 } } },
      { op: 'DequantizeLinear', inputs: ['w2_q', 'w2_scale', 'w2_zero'], outputs: ['w2'], attributes: { axis: { i: 1 } } },
    ],
    // Gather the int8 rows first, so only the looked-up rows are dequantized, not the whole table.
    embeddingGather: [
      { op: 'Gather', inputs: ['embedding_q', 'input_ids'], outputs: ['token_vectors_q'] },
      { op: 'DequantizeLinear', inputs: ['token_vectors_q', 'embedding_scale', 'embedding_zero'], outputs: ['token_vectors'] },
    ],
  };
}

export function exportOnnx(m: Classifier, quantized: boolean): Uint8Array {
  const dims = ['batch_size', 'sequence_length'];
  const inputs: ValueInfo[] = ['input_ids', 'attention_mask', 'token_type_ids'].map((name) => ({
    name,
    elemType: DataType.INT64,
    shape: dims,
  }));
  const w = weights(m, quantized);
  const nodes: Node[] = [
    ...w.nodes,
    ...w.embeddingGather, // [B, T, d]
    { op: 'Cast', inputs: ['attention_mask'], outputs: ['mask'], attributes: { to: { i: DataType.FLOAT } } },
    { op: 'Unsqueeze', inputs: ['mask', 'axis_2'], outputs: ['mask_3d'] }, // [B, T, 1]
    // Masked mean: padded positions add nothing to the sum nor to the count.
    { op: 'Mul', inputs: ['token_vectors', 'mask_3d'], outputs: ['masked_vectors'] },
    { op: 'ReduceSum', inputs: ['masked_vectors', 'axis_1'], outputs: ['vector_sum'], attributes: { keepdims: { i: 0 } } },
    { op: 'ReduceSum', inputs: ['mask_3d', 'axis_1'], outputs: ['token_count'], attributes: { keepdims: { i: 0 } } },
    { op: 'Max', inputs: ['token_count', 'one'], outputs: ['token_count_safe'] }, // no 0/0 on an all-padding row
    { op: 'Div', inputs: ['vector_sum', 'token_count_safe'], outputs: ['mean_pool'] },
    // Masked max: (mask - 1) * PAD_PENALTY is 0 on real tokens and -PAD_PENALTY on padding.
    { op: 'Sub', inputs: ['mask_3d', 'one'], outputs: ['mask_off'] },
    { op: 'Mul', inputs: ['mask_off', 'pad_penalty'], outputs: ['pad_bias'] },
    { op: 'Add', inputs: ['token_vectors', 'pad_bias'], outputs: ['penalised_vectors'] },
    // ReduceMax still takes axes as an attribute in opset 13 (ReduceSum already as an input).
    {
      op: 'ReduceMax',
      inputs: ['penalised_vectors'],
      outputs: ['max_pool'],
      attributes: { axes: { ints: [1] }, keepdims: { i: 0 } },
    },
    { op: 'Concat', inputs: ['mean_pool', 'max_pool'], outputs: ['pooled'], attributes: { axis: { i: 1 } } }, // [B, 2d]
    { op: 'MatMul', inputs: ['pooled', 'w1'], outputs: ['hidden_linear'] },
    { op: 'Add', inputs: ['hidden_linear', 'b1'], outputs: ['hidden_pre'] },
    { op: 'Relu', inputs: ['hidden_pre'], outputs: ['hidden'] },
    { op: 'MatMul', inputs: ['hidden', 'w2'], outputs: ['logits_linear'] },
    { op: 'Add', inputs: ['logits_linear', 'b2'], outputs: ['logits'] },
  ];
  // token_type_ids is declared so callers can feed it as they do to BERT; a bag of tokens has no use for it.
  return encodeModel({
    irVersion: IR_VERSION,
    opsetVersion: OPSET,
    producerName: 'toxicity-monitor model/train-offline.ts',
    docString: `Offline stand-in for unitary/toxic-bert (${quantized ? 'q8' : 'fp32'}): embedding bag classifier.`,
    graphName: 'offline_toxic_bert',
    inputs,
    outputs: [{ name: 'logits', elemType: DataType.FLOAT, shape: ['batch_size', m.labels] }],
    initializers: [
      ...w.initializers,
      f32('b1', [m.hidden], m.b1),
      f32('b2', [m.labels], m.b2),
      f32('one', [], Float32Array.of(1)),
      f32('pad_penalty', [], Float32Array.of(PAD_PENALTY)),
      i64('axis_1', [1]),
      i64('axis_2', [2]),
    ],
    nodes,
  });
}
