/**
 * Decodes the grey PNG maps of a prediction (8-bit label maps, 16-bit instance id and depth maps) to exact
 * integers. Why not an <img>: a browser draws a 16-bit PNG through an 8-bit canvas, which loses the
 * values; the depth under the pointer needs them. Non-interlaced greyscale only (what the API writes),
 * inflated with the browser's DecompressionStream.
 */

/** Reads a big-endian uint32. */
function u32(bytes, at) {
  return ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
}

/** The Paeth predictor of the PNG specification. */
function paeth(a, b, c) {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * Undoes the per-row filters of a decompressed PNG image.
 * @param {Uint8Array} raw - Filter byte + row bytes, for every row.
 * @param {number} rowBytes - Bytes per row.
 * @param {number} bpp - Bytes per pixel (at least 1).
 * @param {number} height - Rows.
 * @returns {Uint8Array} The row bytes, unfiltered.
 */
export function unfilter(raw, rowBytes, bpp, height) {
  const out = new Uint8Array(rowBytes * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (rowBytes + 1)];
    const src = y * (rowBytes + 1) + 1;
    const row = y * rowBytes;
    const prev = row - rowBytes;
    for (let x = 0; x < rowBytes; x++) {
      const a = x >= bpp ? out[row + x - bpp] : 0;
      const b = y > 0 ? out[prev + x] : 0;
      const c = x >= bpp && y > 0 ? out[prev + x - bpp] : 0;
      const v = raw[src + x];
      out[row + x] =
        (filter === 0
          ? v
          : filter === 1
            ? v + a
            : filter === 2
              ? v + b
              : filter === 3
                ? v + ((a + b) >> 1)
                : v + paeth(a, b, c)) & 0xff;
    }
  }
  return out;
}

/**
 * Decodes a greyscale PNG.
 * @param {Uint8Array} bytes - The PNG file.
 * @returns {Promise<{ width: number, height: number, bitDepth: number, data: Uint8Array | Uint16Array }>}
 */
export async function decodeGreyPng(bytes) {
  let at = 8;
  let width = 0;
  let height = 0;
  let bitDepth = 8;
  const idat = [];
  while (at < bytes.length) {
    const length = u32(bytes, at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    const body = bytes.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = u32(body, 0);
      height = u32(body, 4);
      bitDepth = body[8];
      if (body[9] !== 0 || body[12] !== 0)
        throw new Error('only non-interlaced greyscale PNGs are read here');
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    at += 12 + length;
  }
  const inflated = new Uint8Array(
    await new Response(new Blob(idat).stream().pipeThrough(new DecompressionStream('deflate'))).arrayBuffer(),
  );
  const bpp = bitDepth === 16 ? 2 : 1;
  const rows = unfilter(inflated, width * bpp, bpp, height);
  if (bitDepth === 8) return { width, height, bitDepth, data: rows };
  const data = new Uint16Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = (rows[2 * i] << 8) | rows[2 * i + 1];
  return { width, height, bitDepth, data };
}

/** The bytes of a base64 string. */
export function fromBase64(text) {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
