/**
 * Ground-truth thing instances for {@link PanopticQuality}, from a CityScapes `instanceIds` map or from a
 * plain instance id map, together with the train-id map of the same image.
 */
import { DEFAULT_THING_TRAIN_IDS, IGNORE_LABEL } from '../postprocess/train-ids.js';
import { assertLength, thingLookup } from '../postprocess/validate.js';

/**
 * CityScapes' instance encoding: an id of at least this value is `labelId * 1000 + index`, one object;
 * below it the pixel has no instance and the id is just its label id. Why exported: readers and tests
 * build such maps.
 */
export const CITYSCAPES_INSTANCE_ID_BASE = 1000;

/**
 * How instance ids are written:
 * - `cityscapes`: ids >= 1000 are objects (`labelId * 1000 + k`); a smaller id on a thing-class pixel marks
 *   a crowd region (a group of objects CityScapes does not separate), elsewhere no instance.
 * - `plain`: 0 = no instance, any other value is an object (our own id maps).
 */
export type InstanceIdEncoding = 'cityscapes' | 'plain';

/** One ground-truth object. */
export interface GroundTruthInstance {
  /** Id in {@link PanopticGroundTruth.idMap}, 1..n in raster order of the first pixel. */
  id: number;
  /** The id in the source map (e.g. 26003 for the fourth car in CityScapes). */
  sourceId: number;
  /** Thing train id. */
  trainId: number;
  /** Pixels. */
  area: number;
}

/** Ground truth of one image as {@link PanopticQuality.update} consumes it. */
export interface PanopticGroundTruth {
  /** Row-major ids of thing instances, 0 = none. */
  idMap: Int32Array;
  /** The instances, `instances[id - 1]`. */
  instances: GroundTruthInstance[];
  /** 1 where the semantic label is the ignore label (255): such pixels count for nobody. */
  voidMask: Uint8Array;
  /** Train id of the crowd region a pixel belongs to, or 255 where none. */
  crowd: Uint8Array;
}

/** Input of {@link panopticGroundTruth}. */
export interface PanopticGroundTruthInput {
  /** Row-major instance ids (CityScapes' 16-bit `instanceIds.png`, or a plain id map). */
  instanceIds: Uint16Array | Uint32Array | Int32Array;
  /** Row-major train ids of the same image (255 = ignore). */
  semantic: Uint8Array;
  /** How `instanceIds` is written; default `cityscapes`. */
  encoding?: InstanceIdEncoding;
  /** Train ids of the thing classes; default CityScapes' eight. */
  thingTrainIds?: readonly number[];
}

/**
 * Builds the thing instances of one image.
 *
 * An object is the set of pixels that carry its id **and** its class, where its class is the most common
 * train id among the pixels with its id (ties: the lower id). An object whose class is not a thing class
 * (e.g. CityScapes' caravans, which have instance ids but train id 255) is not an instance. Class
 * information comes from `semantic`, so the encoding's label ids never need CityScapes' label table.
 *
 * @throws ValidationError when the two maps differ in length or a thing id is invalid.
 */
export function panopticGroundTruth(input: PanopticGroundTruthInput): PanopticGroundTruth {
  const { instanceIds, semantic } = input;
  const encoding = input.encoding ?? 'cityscapes';
  assertLength('instanceIds', instanceIds, semantic.length, 'same as semantic');
  const isThing = thingLookup('thingTrainIds', input.thingTrainIds ?? DEFAULT_THING_TRAIN_IDS);
  const firstObjectId = encoding === 'cityscapes' ? CITYSCAPES_INSTANCE_ID_BASE : 1;
  const pixels = semantic.length;

  // Class histogram per source id, to find each object's class.
  const histograms = new Map<number, Map<number, number>>();
  for (let p = 0; p < pixels; p++) {
    const source = instanceIds[p]!;
    if (source < firstObjectId) continue;
    let histogram = histograms.get(source);
    if (histogram === undefined) histograms.set(source, (histogram = new Map()));
    const label = semantic[p]!;
    histogram.set(label, (histogram.get(label) ?? 0) + 1);
  }
  const classOf = new Map<number, number>();
  for (const [source, histogram] of histograms) {
    let best = IGNORE_LABEL;
    let bestCount = 0;
    for (const [label, count] of histogram) {
      if (count > bestCount || (count === bestCount && label < best)) {
        best = label;
        bestCount = count;
      }
    }
    if (isThing[best] === 1) classOf.set(source, best);
  }

  const idMap = new Int32Array(pixels);
  const voidMask = new Uint8Array(pixels);
  const crowd = new Uint8Array(pixels).fill(IGNORE_LABEL);
  const instances: GroundTruthInstance[] = [];
  const idOf = new Map<number, number>();
  for (let p = 0; p < pixels; p++) {
    const label = semantic[p]!;
    if (label === IGNORE_LABEL) voidMask[p] = 1;
    const source = instanceIds[p]!;
    if (source < firstObjectId) {
      if (encoding === 'cityscapes' && isThing[label] === 1) crowd[p] = label;
      continue;
    }
    const trainId = classOf.get(source);
    if (trainId === undefined || trainId !== label) continue;
    let id = idOf.get(source);
    if (id === undefined) {
      id = instances.length + 1;
      idOf.set(source, id);
      instances.push({ id, sourceId: source, trainId, area: 0 });
    }
    idMap[p] = id;
    instances[id - 1]!.area++;
  }
  return { idMap, instances, voidMask, crowd };
}
