/**
 * @module fetch/verify
 * Checks a downloaded file against what the Hub announced. The size is checked whenever it is
 * known; the sha256 is always computed (the manifest records it) and compared when known.
 */
import { stat } from 'node:fs/promises';
import { sha256File } from '../../functions/src/model/weights-version.ts';
import { VerificationError } from './errors.ts';
import type { RemoteFile } from './hub.ts';

export interface Verified {
  size: number;
  sha256: string;
}

/**
 * @example
 * await verifyFile('model.onnx.part', 'onnx/model.onnx', { size: 4, sha256: 'ab…' })
 * // throws VerificationError "checksum mismatch for onnx/model.onnx: expected sha256 ab…, got cd…"
 */
export async function verifyFile(file: string, name: string, expected: RemoteFile): Promise<Verified> {
  const { size } = await stat(file);
  if (expected.size !== undefined && size !== expected.size) {
    throw new VerificationError(`size mismatch for ${name}: expected ${expected.size} bytes, got ${size}`);
  }
  const sha256 = await sha256File(file);
  if (expected.sha256 !== undefined && sha256 !== expected.sha256) {
    throw new VerificationError(`checksum mismatch for ${name}: expected sha256 ${expected.sha256}, got ${sha256}`);
  }
  return { size, sha256 };
}
