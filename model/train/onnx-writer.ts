/**
 * @module onnx-writer
 * Encodes an ONNX ModelProto by hand: a minimal protobuf writer plus the few ONNX messages a
 * feed-forward graph needs (model, graph, node, attribute, tensor, value info). Field numbers are
 * those of onnx/onnx.proto. Hand-written because this small subset is shorter than a .proto
 * schema plus a protobuf library, and its output depends only on its input, byte for byte.
 */

/** ONNX TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, INT8: 3, INT64: 7 } as const;
export type DataTypeId = (typeof DataType)[keyof typeof DataType];

export interface Tensor {
  name: string;
  dataType: DataTypeId;
  dims: readonly number[];
  data: Float32Array | Int8Array | BigInt64Array;
}

/** One attribute; the key says which AttributeProto field (and type) it uses. */
export type Attribute = { i: number } | { ints: readonly number[] };

export interface Node {
  op: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes?: Readonly<Record<string, Attribute>>;
}

/** A graph input or output; string dims are symbolic (dim_param), numbers fixed (dim_value). */
export interface ValueInfo {
  name: string;
  elemType: DataTypeId;
  shape: readonly (number | string)[];
}

export interface Model {
  irVersion: number;
  opsetVersion: number;
  producerName: string;
  docString: string;
  graphName: string;
  inputs: readonly ValueInfo[];
  outputs: readonly ValueInfo[];
  initializers: readonly Tensor[];
  nodes: readonly Node[];
}

/** Protobuf wire format: each field is a varint tag (field << 3 | wire type) and a payload. */
class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }

  /** Raw varint; int64 values go through BigInt so negatives get their 10-byte two's complement form. */
  private rawVarint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    const out: number[] = [];
    while (v >= 0x80n) {
      out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(Number(v));
    this.push(Uint8Array.from(out));
  }

  varint(field: number, value: number | bigint): this {
    this.rawVarint(field << 3);
    this.rawVarint(value);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.rawVarint((field << 3) | 2);
    this.rawVarint(value.length);
    this.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, sub: ProtoWriter): this {
    return this.bytes(field, sub.finish());
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const c of this.chunks) {
      out.set(c, offset);
      offset += c.length;
    }
    return out;
  }
}

/** Raw little-endian bytes, as TensorProto.raw_data requires. */
function rawData(data: Tensor['data']): Uint8Array {
  const bytes = new Uint8Array(data.byteLength);
  const view = new DataView(bytes.buffer);
  if (data instanceof Float32Array) data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  else if (data instanceof BigInt64Array) data.forEach((v, i) => view.setBigInt64(i * 8, v, true));
  else bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return bytes;
}

function tensorProto(t: Tensor): ProtoWriter {
  const count = t.dims.reduce((a, b) => a * b, 1);
  if (count !== t.data.length) throw new Error(`tensor ${t.name}: dims ${t.dims} do not hold ${t.data.length} values`);
  const w = new ProtoWriter();
  for (const d of t.dims) w.varint(1, d);
  return w.varint(2, t.dataType).string(8, t.name).bytes(9, rawData(t.data));
}

/** AttributeProto.AttributeType: INT 2, INTS 7. */
function attributeProto(name: string, a: Attribute): ProtoWriter {
  const w = new ProtoWriter().string(1, name);
  if ('i' in a) return w.varint(3, a.i).varint(20, 2);
  for (const v of a.ints) w.varint(8, v);
  return w.varint(20, 7);
}

function nodeProto(n: Node, index: number): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, `${n.op}_${index}`).string(4, n.op);
  for (const [name, a] of Object.entries(n.attributes ?? {})) w.message(5, attributeProto(name, a));
  return w;
}

/** ValueInfoProto { name, type: TypeProto { tensor_type { elem_type, shape { dim* } } } }. */
function valueInfoProto(v: ValueInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.shape) {
    shape.message(1, typeof d === 'number' ? new ProtoWriter().varint(1, d) : new ProtoWriter().string(2, d));
  }
  const tensorType = new ProtoWriter().varint(1, v.elemType).message(2, shape);
  return new ProtoWriter().string(1, v.name).message(2, new ProtoWriter().message(1, tensorType));
}

export function encodeModel(m: Model): Uint8Array {
  const graph = new ProtoWriter();
  m.nodes.forEach((n, i) => graph.message(1, nodeProto(n, i)));
  graph.string(2, m.graphName);
  for (const t of m.initializers) graph.message(5, tensorProto(t));
  for (const v of m.inputs) graph.message(11, valueInfoProto(v));
  for (const v of m.outputs) graph.message(12, valueInfoProto(v));
  return new ProtoWriter()
    .varint(1, m.irVersion)
    .string(2, m.producerName)
    .string(6, m.docString)
    .message(7, graph)
    // Default ("") domain = the standard ai.onnx operator set.
    .message(8, new ProtoWriter().string(1, '').varint(2, m.opsetVersion))
    .finish();
}
