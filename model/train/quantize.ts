/**
 * @module quantize
 * Symmetric int8 weight quantization (zero point 0, values in [-127, 127]) for the q8 model, in
 * the form ONNX DequantizeLinear undoes: real = int8 * scale.
 */

export interface Quantized {
  values: Int8Array;
  /** One scale per group: per tensor (length 1) or per column of a row-major matrix. */
  scales: Float32Array;
}

function scaleFor(maxAbs: number): number {
  // An all-zero group still needs a positive scale for DequantizeLinear.
  return maxAbs > 0 ? Math.fround(maxAbs / 127) : 1;
}

function toInt8(x: number, scale: number): number {
  return Math.max(-127, Math.min(127, Math.round(x / scale)));
}

/** One scale for the whole tensor; used for the embedding, whose rows are gathered before dequantizing. */
export function quantizePerTensor(w: Float32Array): Quantized {
  let maxAbs = 0;
  for (const x of w) maxAbs = Math.max(maxAbs, Math.abs(x));
  const scale = scaleFor(maxAbs);
  return { values: Int8Array.from(w, (x) => toInt8(x, scale)), scales: Float32Array.of(scale) };
}

/** One scale per output column of a [rows, cols] row-major matrix (DequantizeLinear axis 1). */
export function quantizePerColumn(w: Float32Array, rows: number, cols: number): Quantized {
  const scales = new Float32Array(cols);
  for (let c = 0; c < cols; c++) {
    let maxAbs = 0;
    for (let r = 0; r < rows; r++) maxAbs = Math.max(maxAbs, Math.abs(w[r * cols + c] as number));
    scales[c] = scaleFor(maxAbs);
  }
  return { values: Int8Array.from(w, (x, i) => toInt8(x, scales[i % cols] as number)), scales };
}
