/**
 * Reads an image's format and dimensions from its first bytes, without a decoder: so that a request whose
 * header claims a huge image is refused before anything allocates pixels (sharp itself refuses some
 * such headers as "corrupt", which would hide the real reason from the client).
 */

/** What the header says. */
export interface SniffedImage {
  format: 'png' | 'jpeg';
  width: number;
  height: number;
}

const PNG_SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

/**
 * Format and size from a PNG IHDR chunk or a JPEG SOFn segment; undefined when the bytes are neither
 * (the decoder then gives the precise error).
 */
export function sniffImage(bytes: Uint8Array): SniffedImage | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length >= 24 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) {
    const isIhdr = bytes[12] === 0x49 && bytes[13] === 0x48 && bytes[14] === 0x44 && bytes[15] === 0x52;
    return isIhdr ? { format: 'png', width: view.getUint32(16), height: view.getUint32(20) } : undefined;
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) return sniffJpeg(bytes, view);
  return undefined;
}

/** Walks the JPEG marker segments up to the first start-of-frame (SOF0..SOF15 but DHT/JPG/DAC). */
function sniffJpeg(bytes: Uint8Array, view: DataView): SniffedImage | undefined {
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    const length = view.getUint16(offset + 2);
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      if (offset + 9 > bytes.length) return undefined;
      return { format: 'jpeg', height: view.getUint16(offset + 5), width: view.getUint16(offset + 7) };
    }
    offset += 2 + length;
  }
  return undefined;
}
