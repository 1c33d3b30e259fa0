/**
 * Tensors and metadata in the format that bench/reference/tensor_io.py reads: `bundle.json` (meta and an
 * index of name, dtype, shape, byte offset) beside `bundle.bin` (the tensors' bytes, little-endian, NHWC as
 * tfjs holds them).
 *
 * @packageDocumentation
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Tensor } from '@tensorflow/tfjs';

/** One tensor's place in `bundle.bin`. */
export interface BundleEntry {
  name: string;
  /** bool is written one byte per element (0 or 1). */
  dtype: 'float32' | 'int32' | 'bool';
  shape: number[];
  offset: number;
}

/** Collects tensors (copied out at once, so the caller may dispose them) and writes them as one bundle. */
export class TensorBundle {
  private readonly entries: BundleEntry[] = [];
  private readonly chunks: Uint8Array[] = [];
  private bytes = 0;

  /** @param meta - Free-form JSON the reader gets back as is (sizes, counts, optimiser settings). */
  constructor(readonly meta: Record<string, unknown>) {}

  /**
   * Adds a float32, int32 or bool tensor under `name`.
   *
   * @throws Error for another dtype or a name already added.
   */
  add(name: string, tensor: Tensor): void {
    if (tensor.dtype !== 'float32' && tensor.dtype !== 'int32' && tensor.dtype !== 'bool') {
      throw new Error(`bundle: ${name} is ${tensor.dtype}; only float32, int32 and bool are written`);
    }
    if (this.entries.some((entry) => entry.name === name)) throw new Error(`bundle: ${name} added twice`);
    const values = tensor.dataSync() as Float32Array | Int32Array | Uint8Array;
    this.entries.push({ name, dtype: tensor.dtype, shape: [...tensor.shape], offset: this.bytes });
    this.chunks.push(
      new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength)),
    );
    this.bytes += values.byteLength;
  }

  /** Writes `bundle.json` and `bundle.bin` into `directory` (created if missing). */
  async write(directory: string): Promise<void> {
    await mkdir(directory, { recursive: true });
    await writeFile(join(directory, 'bundle.bin'), Buffer.concat(this.chunks));
    await writeFile(
      join(directory, 'bundle.json'),
      JSON.stringify({ meta: this.meta, tensors: this.entries }, null, 1),
    );
  }
}
