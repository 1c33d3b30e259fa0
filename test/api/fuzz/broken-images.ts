/**
 * Images and multipart bodies for the fuzz test: a few good ones (so the prediction path runs), and broken
 * ones of every kind a client can send.
 */
import { crc32 } from 'node:zlib';
import { randomImage } from '../../helpers/tiny-model.js';

/** A body to send to the prediction route. */
export interface ImageBody {
  label: string;
  contentType: string;
  body: Buffer;
}

/** PNG's signature. */
const PNG_SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);

/** One PNG chunk with its length and CRC. */
function pngChunk(type: string, data: Buffer, crc?: number): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const sum = Buffer.alloc(4);
  sum.writeUInt32BE(crc ?? crc32(body));
  return Buffer.concat([length, body, sum]);
}

/** A PNG whose IHDR claims `width` x `height`, with `idat` (none by default) and no real image data. */
export function pngClaiming(
  width: number,
  height: number,
  options: { idat?: Buffer; badCrc?: boolean } = {},
): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', ihdr, options.badCrc === true ? 0 : undefined),
    ...(options.idat === undefined ? [] : [pngChunk('IDAT', options.idat)]),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A JPEG of markers only: SOI, a baseline SOF claiming `width` x `height` (3 components), EOI. */
export function jpegClaiming(width: number, height: number): Buffer {
  const sof = Buffer.from([
    0xff, 0xc0, 0x00, 0x11, 0x08, 0, 0, 0, 0, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1,
  ]);
  sof.writeUInt16BE(height, 5);
  sof.writeUInt16BE(width, 7);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), sof, Buffer.from([0xff, 0xd9])]);
}

/** A multipart body with one part. */
export function multipartOf(
  boundary: string,
  part: { name: string; filename?: string; type?: string; data: Buffer },
): Buffer {
  const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
  const head = `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${part.type === undefined ? '' : `Content-Type: ${part.type}\r\n`}\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), part.data, Buffer.from(`\r\n--${boundary}--\r\n`)]);
}

/** Good images: a small PNG and JPEG (the prediction path runs for them). */
export async function goodImages(): Promise<ImageBody[]> {
  const png = await randomImage(64, 32, 'png');
  const jpeg = await randomImage(48, 40, 'jpeg');
  return [
    { label: 'a good PNG', contentType: 'image/png', body: png },
    { label: 'a good JPEG', contentType: 'image/jpeg', body: jpeg },
    {
      label: 'a good multipart PNG',
      contentType: 'multipart/form-data; boundary=b0undary',
      body: multipartOf('b0undary', { name: 'image', filename: 'a.png', type: 'image/png', data: png }),
    },
  ];
}

/** Broken image bodies, raw and in a multipart part. */
export async function brokenImages(): Promise<ImageBody[]> {
  const png = await randomImage(64, 32, 'png');
  const jpeg = await randomImage(48, 40, 'jpeg');
  const wrongMagic = Buffer.from(png);
  wrongMagic[1] = 0x51;
  const images: [string, Buffer][] = [
    ['an empty body', Buffer.alloc(0)],
    ['one byte', Buffer.from([0x89])],
    ['a PNG cut in half', png.subarray(0, png.length >> 1)],
    ['a PNG cut inside IHDR', png.subarray(0, 20)],
    ['a JPEG cut in half', jpeg.subarray(0, jpeg.length >> 1)],
    ['a JPEG of its first marker', jpeg.subarray(0, 4)],
    ['a PNG with a wrong magic', wrongMagic],
    ['a PNG claiming 50000x50000', pngClaiming(50_000, 50_000)],
    ['a PNG claiming 0x0', pngClaiming(0, 0)],
    ['a PNG claiming 2^31x1', pngClaiming(2 ** 31, 1)],
    ['a PNG with a bad IHDR CRC', pngClaiming(64, 32, { badCrc: true })],
    ['a PNG without IDAT', pngClaiming(64, 32)],
    ['a PNG with garbage IDAT', pngClaiming(64, 32, { idat: Buffer.from('not zlib at all') })],
    ['a JPEG claiming 65500x65500', jpegClaiming(65_500, 65_500)],
    ['a JPEG claiming 0x0', jpegClaiming(0, 0)],
    ['a JPEG claiming 64x32 with no scan', jpegClaiming(64, 32)],
    ['a GIF', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1')],
    ['a BMP header', Buffer.from('BM\x3e\x00\x00\x00\x00\x00\x00\x00\x36\x00', 'latin1')],
    ['text', Buffer.from('hello, this is not an image')],
    ['random bytes', Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7919) % 256))],
  ];
  const out: ImageBody[] = [];
  for (const [label, body] of images) {
    out.push({ label: `${label} as image/png`, contentType: 'image/png', body });
    out.push({ label: `${label} as image/jpeg`, contentType: 'image/jpeg', body });
    out.push({
      label: `${label} in multipart`,
      contentType: 'multipart/form-data; boundary=xyz',
      body: multipartOf('xyz', { name: 'image', filename: 'x.png', type: 'image/png', data: body }),
    });
  }
  return [...out, ...brokenMultipart(png)];
}

/** Multipart bodies broken as multipart (the image inside them is good). */
function brokenMultipart(png: Buffer): ImageBody[] {
  const part = (boundary: string) => multipartOf(boundary, { name: 'image', filename: 'a.png', data: png });
  const good = part('XX');
  const cases: [string, string, Buffer][] = [
    ['no boundary', 'multipart/form-data', good],
    ['an empty boundary', 'multipart/form-data; boundary=', good],
    ['a quoted empty boundary', 'multipart/form-data; boundary=""', good],
    ['another boundary', 'multipart/form-data; boundary=YY', good],
    ['no closing boundary', 'multipart/form-data; boundary=XX', good.subarray(0, good.length - 8)],
    [
      'a cut part header',
      'multipart/form-data; boundary=XX',
      Buffer.from('--XX\r\nContent-Disposition: form-da'),
    ],
    ['garbage', 'multipart/form-data; boundary=XX', Buffer.from('\x00\x01garbage\xff', 'latin1')],
    ['an empty body', 'multipart/form-data; boundary=XX', Buffer.alloc(0)],
    ['only the closing boundary', 'multipart/form-data; boundary=XX', Buffer.from('--XX--\r\n')],
    ['a text field', 'multipart/form-data; boundary=XX', multipartOf('XX', { name: 'image', data: png })],
    [
      'another field name',
      'multipart/form-data; boundary=XX',
      multipartOf('XX', { name: 'img', filename: 'a', data: png }),
    ],
    [
      'a __proto__ field',
      'multipart/form-data; boundary=XX',
      multipartOf('XX', { name: '__proto__', filename: 'a', data: png }),
    ],
    [
      'a part without headers',
      'multipart/form-data; boundary=XX',
      Buffer.from('--XX\r\n\r\nabc\r\n--XX--\r\n'),
    ],
    ['a 70-char boundary', `multipart/form-data; boundary=${'b'.repeat(70)}`, part('b'.repeat(70))],
    ['a 5000-char boundary', `multipart/form-data; boundary=${'b'.repeat(5000)}`, part('b'.repeat(5000))],
    [
      'two files',
      'multipart/form-data; boundary=XX',
      Buffer.concat([good.subarray(0, good.length - 4), Buffer.from('\r\n'), good.subarray(6)]),
    ],
  ];
  return cases.map(([label, contentType, body]) => ({ label: `multipart: ${label}`, contentType, body }));
}
