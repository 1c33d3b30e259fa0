/**
 * The raw (binary) answer of `POST /v1/models/{id}/predict?encoding=raw` (or `Accept:
 * application/octet-stream`): the JSON answer's fields with every map as a typed array instead of a PNG,
 * so a client reads the outputs with no PNG decoder and the server spends no time compressing.
 *
 * Layout (all integers and arrays little-endian):
 *
 * | bytes | what |
 * |---|---|
 * | 0-3 | `headerBytes`, uint32: length of the header that follows (spaces at its end included) |
 * | 4 .. 4 + headerBytes | the header: UTF-8 JSON, the JSON answer with each map as `{ format: 'raw', dtype, shape, offset, byteLength }`; padded with spaces so that the data section starts on a multiple of 8 |
 * | 4 + headerBytes .. end | the data section: each map's bytes at `offset` (from the data section's start, a multiple of 8), `byteLength` long |
 *
 * `dtype` is `uint8` (train ids), `uint16` (instance ids) or `float32` (disparity in px, depth in metres,
 * unquantised); `shape` is `[height, width]`, row-major.
 *
 * @packageDocumentation
 */
import { endianness } from 'node:os';

/** Element types of a raw map. */
export type RawDtype = 'uint8' | 'uint16' | 'float32';

/** A map in a body being built for the raw answer: its array travels in the data section. */
export interface RawArray {
  format: 'raw';
  dtype: RawDtype;
  shape: [number, number];
  data: Uint8Array | Uint16Array | Float32Array;
}

/** A map in the header of a raw answer: where its bytes are. */
export interface RawArrayRef {
  format: 'raw';
  dtype: RawDtype;
  shape: [number, number];
  offset: number;
  byteLength: number;
}

/** Alignment of the data section and of each array in it. Why 8: any typed array can view it in place. */
export const RAW_ALIGNMENT = 8;

/** Bytes of the length prefix. */
const PREFIX_BYTES = 4;

const alignUp = (n: number) => Math.ceil(n / RAW_ALIGNMENT) * RAW_ALIGNMENT;

function isRawArray(value: unknown): value is RawArray {
  return (
    typeof value === 'object' && value !== null && (value as RawArray).format === 'raw' && 'data' in value
  );
}

/**
 * Packs a body whose maps are {@link RawArray}s into the raw layout (see the module's header).
 *
 * @returns A buffer of its own (not from Node's pool), so it can be transferred to another thread.
 */
export function packRawPrediction(body: unknown): Buffer {
  if (endianness() !== 'LE') throw new Error('raw predictions are little-endian; this machine is not');
  const arrays: RawArray[] = [];
  let dataBytes = 0;
  const header = JSON.stringify(body, (_key, v: unknown) => {
    if (!isRawArray(v)) return v;
    const ref: RawArrayRef = {
      format: 'raw',
      dtype: v.dtype,
      shape: v.shape,
      offset: dataBytes,
      byteLength: v.data.byteLength,
    };
    arrays.push(v);
    dataBytes = alignUp(dataBytes + v.data.byteLength);
    return ref;
  });
  const headerText = Buffer.from(header, 'utf8');
  const headerBytes = alignUp(PREFIX_BYTES + headerText.length) - PREFIX_BYTES;
  const out = Buffer.allocUnsafeSlow(PREFIX_BYTES + headerBytes + dataBytes);
  out.writeUInt32LE(headerBytes, 0);
  headerText.copy(out, PREFIX_BYTES);
  out.fill(0x20, PREFIX_BYTES + headerText.length, PREFIX_BYTES + headerBytes);
  const dataStart = PREFIX_BYTES + headerBytes;
  let offset = 0;
  for (const array of arrays) {
    const bytes = new Uint8Array(array.data.buffer, array.data.byteOffset, array.data.byteLength);
    out.set(bytes, dataStart + offset);
    const end = offset + bytes.byteLength;
    offset = alignUp(end);
    out.fill(0, dataStart + end, dataStart + offset);
  }
  return out;
}

/** A raw answer read back: its header, and each map's array by its path in the header (`depth.disparityMap`). */
export interface DecodedRawPrediction {
  header: Record<string, unknown>;
  arrays: Map<string, Uint8Array | Uint16Array | Float32Array>;
}

/** Thrown when bytes are not a well-formed raw prediction. */
export class RawPredictionFormatError extends Error {
  override readonly name = 'RawPredictionFormatError';
}

const ARRAY_TYPES = { uint8: Uint8Array, uint16: Uint16Array, float32: Float32Array } as const;

/**
 * Reads a raw answer (the inverse of {@link packRawPrediction}), for clients, tests and benchmarks. The
 * arrays are copies (the buffer may not be aligned in the caller's memory).
 *
 * @throws RawPredictionFormatError when the bytes do not follow the layout.
 */
export function decodeRawPrediction(bytes: Uint8Array): DecodedRawPrediction {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < PREFIX_BYTES) throw new RawPredictionFormatError('shorter than the length prefix');
  const headerBytes = buffer.readUInt32LE(0);
  const dataStart = PREFIX_BYTES + headerBytes;
  if (dataStart > buffer.length) throw new RawPredictionFormatError('the header runs past the end');
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(buffer.toString('utf8', PREFIX_BYTES, dataStart)) as Record<string, unknown>;
  } catch (error) {
    throw new RawPredictionFormatError(`the header is not JSON: ${(error as Error).message}`);
  }
  const arrays = new Map<string, Uint8Array | Uint16Array | Float32Array>();
  const visit = (value: unknown, path: string[]): void => {
    if (typeof value !== 'object' || value === null) return;
    const ref = value as RawArrayRef;
    if (ref.format === 'raw' && typeof ref.offset === 'number') {
      const Type = ARRAY_TYPES[ref.dtype];
      const start = dataStart + ref.offset;
      if (
        Type === undefined ||
        start + ref.byteLength > buffer.length ||
        ref.byteLength % Type.BYTES_PER_ELEMENT
      ) {
        throw new RawPredictionFormatError(`map ${path.join('.')} does not fit the data section`);
      }
      const copy = new Uint8Array(buffer.subarray(start, start + ref.byteLength));
      arrays.set(path.join('.'), new Type(copy.buffer, 0, ref.byteLength / Type.BYTES_PER_ELEMENT));
      return;
    }
    for (const [key, child] of Object.entries(value)) visit(child, [...path, key]);
  };
  visit(header, []);
  return { header, arrays };
}
