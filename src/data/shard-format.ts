/**
 * Binary layout of one preprocessed sample ("record") in a cache shard. Records have a fixed size for a given
 * training resolution, so record `i` of a shard starts at `i * bytes`, and every field starts on a 4-byte
 * boundary so it can be viewed as a typed array without copying.
 *
 * ```
 * offset  size          field
 * 0       4             magic "SMTC"
 * 4       4   u32 LE    format version
 * 8       4   u32 LE    sample index (position in the cache's sample list)
 * 12      4   u32 LE    width * height (checked on read)
 * 16      3P  u8        image, RGB interleaved
 * ..      P   u8        train ids
 * ..      P   u8        offset mask
 * ..      P   u8        disparity mask
 * ..      pad to 4
 * ..      8P  f32 LE    offsets (dx, dy) interleaved
 * ..      4P  f32 LE    disparity
 * ```
 * (P = width * height.) Floats are stored in the machine's byte order; the cache is refused on big-endian
 * machines (see `target-cache.ts`), which keeps reads copy-free on every machine that can use it.
 *
 * @packageDocumentation
 */
import { CacheCorruptError } from './errors.js';
import type { SampleTargets } from './targets.js';

/** Version of the record layout. Why: bumped whenever the layout changes, so old caches are rebuilt, not misread. */
export const SHARD_FORMAT_VERSION = 1;

/** First four bytes of every record ("SMTC" little-endian). Why: catches a read at a wrong offset or a foreign file. */
const RECORD_MAGIC = 0x43544d53;

/** Size of the record header. Why 16: four u32 fields, keeping the payload 4-byte aligned. */
const HEADER_BYTES = 16;

/** Byte offsets of the fields of a record for one resolution. */
export interface RecordLayout {
  width: number;
  height: number;
  image: number;
  trainIds: number;
  offsetMask: number;
  disparityMask: number;
  offsets: number;
  disparity: number;
  /** Total bytes of a record (a multiple of 4). */
  bytes: number;
}

/** Rounds up to a multiple of 4. */
function align4(n: number): number {
  return (n + 3) & ~3;
}

/** The record layout at `width` x `height`. */
export function recordLayout(width: number, height: number): RecordLayout {
  const p = width * height;
  const image = HEADER_BYTES;
  const trainIds = image + 3 * p;
  const offsetMask = trainIds + p;
  const disparityMask = offsetMask + p;
  const offsets = align4(disparityMask + p);
  const disparity = offsets + 8 * p;
  const bytes = disparity + 4 * p;
  return { width, height, image, trainIds, offsetMask, disparityMask, offsets, disparity, bytes };
}

/**
 * Serialises `t` as record `index` into `out` (at least `layout.bytes` long, 4-byte aligned).
 */
export function writeRecord(t: SampleTargets, index: number, layout: RecordLayout, out: Uint8Array): void {
  const p = layout.width * layout.height;
  if (t.width !== layout.width || t.height !== layout.height) {
    throw new CacheCorruptError(
      `record ${index} is ${t.width}x${t.height}, the cache ${layout.width}x${layout.height}`,
    );
  }
  const view = new DataView(out.buffer, out.byteOffset, layout.bytes);
  view.setUint32(0, RECORD_MAGIC, true);
  view.setUint32(4, SHARD_FORMAT_VERSION, true);
  view.setUint32(8, index, true);
  view.setUint32(12, p, true);
  out.set(t.image, layout.image);
  out.set(t.trainIds, layout.trainIds);
  out.set(t.offsetMask, layout.offsetMask);
  out.set(t.disparityMask, layout.disparityMask);
  out.fill(0, layout.disparityMask + p, layout.offsets);
  out.set(new Uint8Array(t.offsets.buffer, t.offsets.byteOffset, t.offsets.byteLength), layout.offsets);
  out.set(
    new Uint8Array(t.disparity.buffer, t.disparity.byteOffset, t.disparity.byteLength),
    layout.disparity,
  );
}

/**
 * Views record bytes as {@link SampleTargets} without copying.
 *
 * @param bytes - Exactly one record, starting at a 4-byte aligned offset of its buffer.
 * @param layout - The cache's layout.
 * @param index - The sample index the record must carry.
 * @param where - How to name the record in errors (shard file and position).
 * @throws {@link CacheCorruptError} when the magic, version, index or size does not match.
 */
export function readRecord(
  bytes: Uint8Array,
  layout: RecordLayout,
  index: number,
  where: string,
): SampleTargets {
  if (bytes.length < layout.bytes || bytes.byteOffset % 4 !== 0) {
    throw new CacheCorruptError(
      `${where}: short or misaligned record (${bytes.length} of ${layout.bytes} bytes)`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, layout.bytes);
  const p = layout.width * layout.height;
  if (view.getUint32(0, true) !== RECORD_MAGIC) throw new CacheCorruptError(`${where}: bad record magic`);
  if (view.getUint32(4, true) !== SHARD_FORMAT_VERSION)
    throw new CacheCorruptError(`${where}: record version differs`);
  if (view.getUint32(8, true) !== index) {
    throw new CacheCorruptError(`${where}: holds sample ${view.getUint32(8, true)}, expected ${index}`);
  }
  if (view.getUint32(12, true) !== p) throw new CacheCorruptError(`${where}: record size differs`);
  const { buffer, byteOffset } = bytes;
  return {
    width: layout.width,
    height: layout.height,
    image: new Uint8Array(buffer, byteOffset + layout.image, 3 * p),
    trainIds: new Uint8Array(buffer, byteOffset + layout.trainIds, p),
    offsetMask: new Uint8Array(buffer, byteOffset + layout.offsetMask, p),
    disparityMask: new Uint8Array(buffer, byteOffset + layout.disparityMask, p),
    offsets: new Float32Array(buffer, byteOffset + layout.offsets, 2 * p),
    disparity: new Float32Array(buffer, byteOffset + layout.disparity, p),
  };
}
