import type { RasterImage } from '../../data/image-codec.js';
import { encodeFilteredPng } from '../../data/png-writer.js';
import type { RowSource } from '../../model/postprocess/positive-stats.js';
import { collectRows } from '../../model/prediction-maps.js';
import { jsonBytes } from './json-bytes.js';
import type { LazyPrediction, PredictionMaps } from '../../model/predictor.js';
import type { PredictEncoding } from './predict-messages.js';
import { packRawPrediction, type RawArray } from './raw-prediction.js';

import { PREDICTION_PNG_LEVEL } from '../../model/prediction-views.js';

export { PREDICTION_PNG_LEVEL, predictionView } from '../../model/prediction-views.js';

/** Default fixed-point scale of the 16-bit disparity PNG: 1/256 px steps, as CityScapes' disparity files. */
export const DISPARITY_PNG_SCALE = 256;
/** The 16-bit depth PNG stores centimetres: 1 cm steps up to 655 m, beyond any street scene. */
export const DEPTH_PNG_SCALE = 100;
const UINT16_MAX = 65535;

/** A PNG in a JSON answer: `data` holds the bytes, which `jsonBytes` (json-bytes.ts) writes as base64. */
export interface EmbeddedPng {
  format: 'png';
  bitDepth: 8 | 16;
  encoding: 'base64';
  data: Uint8Array;
}

/**
 * How one map goes into the answer: a PNG in the JSON answer, or a typed array in the raw one. It answers
 * at once with the map's object; a PNG is filled in when its deflate (in libuv's thread pool) is done,
 * so that the post-processing of the next output runs meanwhile.
 */
type MapWriter = (
  png: () => RasterImage,
  bitDepth: 8 | 16,
  raw: () => RawArray['data'],
  extra?: Record<string, unknown>,
) => Record<string, unknown>;

/**
 * What another thread computes of an answer whose heads ran apart (head-sharing.ts): heads it adds to
 * the maps (`heads` resolves once they are in), and the whole depth section ({@link depthAnswer}).
 */
export interface RemoteParts {
  heads?: Promise<void>;
  depth?: Promise<DepthAnswer>;
}

/** A depth section made on its own ({@link depthAnswer}), with the time its post-processing and encoding took. */
export interface DepthAnswer {
  section: Record<string, unknown>;
  postprocessMs: number;
  encodeMs: number;
}

/**
 * The answer of POST /v1/models/{id}/predict (see openapi.yaml) as bytes: image size and timings, then one
 * section per requested head, each with a map at the image's size: a PNG in the JSON answer
 * (`encoding` png, via `jsonBytes`), a typed array in the raw one (`packRawPrediction`,
 * raw-prediction.ts). The maps are built one at a time; a PNG is deflated in libuv's threads while the next
 * map is computed, so a large image's JSON answer holds the maps being encoded (1-2 bytes a pixel each)
 * and their PNGs; a raw answer is the maps themselves (11 bytes a pixel with every output and a camera).
 */
export async function predictionBytes(
  prediction: LazyPrediction,
  timings: { decodeMs: number },
  encoding: PredictEncoding = 'png',
  remote: RemoteParts = {},
): Promise<Buffer> {
  const body = await predictionBody(prediction, timings, encoding, remote);
  const started = performance.now();
  if (encoding === 'png') return jsonBytes(body);
  // The packing's own time goes into the answer: the header is written last.
  const timing = body['timings'] as { encodeMs: number };
  timing.encodeMs += performance.now() - started;
  return packRawPrediction(body);
}

/**
 * The maps of one answer as they are written, and the time spent on them: post-processing (`post`), and
 * encoding (`map`: a PNG deflated in libuv's threads, awaited by `done`, or a raw typed array).
 */
class AnswerWriter {
  readonly clock = { postprocessMs: 0, encodeMs: 0 };
  private readonly encodes: Promise<void>[] = [];

  constructor(
    private readonly encoding: PredictEncoding,
    private readonly width: number,
    private readonly height: number,
  ) {}

  /** Runs one post-processing step on the clock. */
  post<T>(compute: () => T): T {
    const started = performance.now();
    const value = compute();
    this.clock.postprocessMs += performance.now() - started;
    return value;
  }

  /** Puts one map into the answer ({@link MapWriter}). */
  readonly map: MapWriter = (image, bitDepth, raw, extra = {}) => {
    const started = performance.now();
    if (this.encoding === 'raw') {
      const data = raw();
      this.clock.encodeMs += performance.now() - started;
      const dtype = data instanceof Uint8Array ? 'uint8' : data instanceof Uint16Array ? 'uint16' : 'float32';
      return { format: 'raw', dtype, shape: [this.height, this.width], data, ...extra } satisfies RawArray;
    }
    const slot: Record<string, unknown> = {};
    const encoded = encodeFilteredPng(image(), { compressionLevel: PREDICTION_PNG_LEVEL }).then((bytes) => {
      const data = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      // Wall time of this encoding, which overlaps the post-processing that follows it.
      this.clock.encodeMs += performance.now() - started;
      Object.assign(slot, {
        format: 'png',
        bitDepth,
        encoding: 'base64',
        data,
        ...extra,
      } satisfies EmbeddedPng);
    });
    encoded.catch(() => undefined); // awaited in done(); never an unhandled rejection if a later step throws
    this.encodes.push(encoded);
    return slot;
  };

  /** Resolves when every PNG is in its slot. */
  async done(): Promise<void> {
    await Promise.all(this.encodes);
  }
}

/**
 * The answer's fields, with each map a PNG (`encoding` png; bytes: serialise with `jsonBytes`) or a
 * {@link RawArray} (`encoding` raw: pack with `packRawPrediction`). With `remote` parts (heads that ran on
 * another thread), the instances wait for their heads and the depth section is the other thread's; its
 * post-processing and encoding times are added to this answer's.
 */
export async function predictionBody(
  prediction: LazyPrediction,
  timings: { decodeMs: number },
  encoding: PredictEncoding = 'png',
  remote: RemoteParts = {},
): Promise<Record<string, unknown>> {
  const { maps } = prediction;
  const { width, height } = maps;
  const writer = new AnswerWriter(encoding, width, height);
  const { map } = writer;
  const body: Record<string, unknown> = { model: maps.manifest.id, width, height };
  const segmentation = writer.post(() => maps.segmentation());
  if (segmentation) {
    const { labels, classes } = segmentation;
    body['segmentation'] = {
      classes: classes.map(({ trainId, name, color, pixelShare }) => ({ trainId, name, color, pixelShare })),
      labelMap: map(
        () => ({ width, height, channels: 1, bitDepth: 8, data: labels }),
        8,
        () => labels,
      ),
    };
  }
  await remote.heads;
  const instances = writer.post(() => maps.instances());
  if (instances) {
    body['instances'] = {
      count: instances.instances.length,
      instances: instances.instances.map(({ id, trainId, className, area, bbox, centroid, score }) => ({
        id,
        trainId,
        className,
        area,
        bbox,
        centroid,
        score,
      })),
      idMap: map(
        () => ({ width, height, channels: 1, bitDepth: 16, data: instances.idMap }),
        16,
        () => instances.idMap,
      ),
    };
  }
  if (remote.depth) {
    const depth = await remote.depth;
    body['depth'] = depth.section;
    writer.clock.postprocessMs += depth.postprocessMs;
    writer.clock.encodeMs += depth.encodeMs;
  } else if (maps.hasDepth()) body['depth'] = depthSection(maps, writer, encoding);
  await writer.done();
  body['timings'] = { decodeMs: timings.decodeMs, ...prediction.timings, ...writer.clock };
  return body;
}

/**
 * The depth section of an answer on its own, its PNGs encoded: what the thread that ran the depth head
 * sends back when the heads of a prediction ran apart (head-sharing.ts).
 */
export async function depthAnswer(maps: PredictionMaps, encoding: PredictEncoding): Promise<DepthAnswer> {
  const writer = new AnswerWriter(encoding, maps.width, maps.height);
  const section = depthSection(maps, writer, encoding);
  await writer.done();
  return { section, ...writer.clock };
}

/** The depth section: disparity range and map, and metres when the model knows its camera. */
function depthSection(
  maps: PredictionMaps,
  writer: AnswerWriter,
  encoding: PredictEncoding,
): Record<string, unknown> {
  const { width, height } = maps;
  const { map } = writer;
  const { min, max } = writer.post(() => maps.disparityRange());
  const scale = max * DISPARITY_PNG_SCALE > UINT16_MAX ? UINT16_MAX / max : DISPARITY_PNG_SCALE;
  // A raw map is the values themselves: no fixed-point scale.
  const scaled = (value: number) => (encoding === 'png' ? { scale: value } : {});
  const section: Record<string, unknown> = {
    unit: 'px',
    min,
    max,
    disparityMap: map(
      () => quantise(maps.disparityRows, scale, width, height),
      16,
      () => collectRows(maps.disparityRows, width * height),
      scaled(scale),
    ),
  };
  if (maps.camera()) {
    const stats = writer.post(() => maps.depthStats());
    section['metres'] = {
      min: stats.min,
      max: stats.max,
      median: stats.median,
      depthMap: map(
        () => quantise(maps.depthRows, DEPTH_PNG_SCALE, width, height),
        16,
        () => collectRows(maps.depthRows, width * height),
        scaled(DEPTH_PNG_SCALE),
      ),
    };
  }
  return section;
}

/** Row values * scale rounded into a 16-bit grey image (negatives to 0, overflow to 65535). */
function quantise(rows: RowSource, scale: number, width: number, height: number): RasterImage {
  const data = new Uint16Array(width * height);
  let offset = 0;
  rows((row) => {
    for (let i = 0; i < row.length; i++)
      data[offset + i] = Math.min(UINT16_MAX, Math.max(0, Math.round(row[i]! * scale)));
    offset += row.length;
  });
  return { width, height, channels: 1, bitDepth: 16, data };
}
