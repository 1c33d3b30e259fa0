/**
 * JSON serialisation straight into one buffer, with binary values written as base64 strings, so that a
 * prediction's answer (up to tens of MB of PNG maps) is never held as JavaScript strings: not in the
 * predictor thread, not again in the main thread after postMessage, not again as Fastify's serialised
 * text. The buffer is transferred to the main thread and written to the socket as is.
 *
 * @packageDocumentation
 */
import { randomUUID } from 'node:crypto';

/**
 * Bytes encoded per base64 chunk. Why 48 KiB (a multiple of 3): concatenated chunk encodings equal the
 * whole encoding, and each temporary string stays small.
 */
const BASE64_CHUNK_BYTES = 3 * 16 * 1024;

/** Length of the base64 encoding of `n` bytes (with padding). */
function base64Length(n: number): number {
  return 4 * Math.ceil(n / 3);
}

/**
 * `JSON.stringify(value)` as UTF-8 bytes, where every `Uint8Array` (not `Buffer`, whose `toJSON` runs
 * first) becomes the string of its base64 encoding.
 *
 * @param value - A JSON-serialisable value; its Uint8Arrays are read, not kept.
 * @returns A buffer of its own (not from Node's pool), so it can be transferred to another thread.
 */
export function jsonBytes(value: unknown): Buffer {
  const blobs: Uint8Array[] = [];
  // A marker no content can contain: the JSON text is split where the blobs go.
  const marker = randomUUID();
  const text = JSON.stringify(value, (_key, v: unknown) =>
    v instanceof Uint8Array && !Buffer.isBuffer(v) ? `${marker}:${blobs.push(v) - 1}` : v,
  );
  const parts = text.split(new RegExp(`"${marker}:\\d+"`));
  let length = 0;
  for (const part of parts) length += Buffer.byteLength(part, 'utf8');
  for (const blob of blobs) length += base64Length(blob.length) + 2;
  const out = Buffer.allocUnsafeSlow(length);
  let offset = out.write(parts[0]!, 0, 'utf8');
  blobs.forEach((blob, i) => {
    offset += out.write('"', offset, 'latin1');
    const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
    for (let start = 0; start < bytes.length; start += BASE64_CHUNK_BYTES) {
      const chunk = bytes.subarray(start, start + BASE64_CHUNK_BYTES).toString('base64');
      offset += out.write(chunk, offset, 'latin1');
    }
    offset += out.write('"', offset, 'latin1');
    offset += out.write(parts[i + 1]!, offset, 'utf8');
  });
  return out;
}
