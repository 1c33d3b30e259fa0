/**
 * Streaming panoptic quality (Kirillov et al., CVPR 2019) restricted to thing classes: the instance-level
 * quality of the clustered instances.
 *
 * Per image, a predicted and a ground-truth instance of the same class match when their IoU exceeds the
 * threshold (0.5 makes matches unique). Per class over all images: PQ = sum(IoU of matches) /
 * (TP + FP/2 + FN/2) = SQ * RQ, with SQ = mean IoU of the matches and RQ = TP / (TP + FP/2 + FN/2).
 * As in the reference implementation (cocodataset/panopticapi): predicted pixels on void ground truth
 * (train id 255) are left out of the union, and an unmatched prediction that lies mostly (> 50 %) on void or
 * on a crowd region of its class is not a false positive.
 */
import { DEFAULT_THING_TRAIN_IDS } from '../postprocess/train-ids.js';
import { assertInRange, assertLength, invalid, thingLookup } from '../postprocess/validate.js';
import type { PanopticGroundTruth } from './panoptic-ground-truth.js';

/**
 * Default IoU above which a prediction matches a ground-truth instance. Why 0.5: the PQ definition; any
 * value >= 0.5 guarantees that no instance matches twice.
 */
export const DEFAULT_MATCH_IOU = 0.5;

/**
 * Largest share of a prediction's area on void or same-class crowd pixels for it to count as a false
 * positive when unmatched. Why 0.5: the PQ reference implementation's rule.
 */
const IGNORED_AREA_SHARE = 0.5;

/**
 * Multiplier that packs (prediction id, ground-truth id) into one exact map key. Why 2^20: prediction ids
 * fit in 32 bits, so keys stay below 2^52 (exact in a double), and ground truth may hold up to 2^20 - 1
 * instances per image (checked), far more than any image has.
 */
const KEY_STRIDE = 2 ** 20;

/** Predicted instances of one image: an id map and the class of each id (e.g. `clusterInstances`' result). */
export interface PanopticPrediction {
  /** Row-major instance ids, 0 = none. */
  idMap: Uint16Array | Uint32Array | Int32Array;
  /** Class of each id present in `idMap`. Instances of non-thing classes are ignored. */
  instances: readonly { id: number; trainId: number }[];
}

/** PQ, SQ and RQ of one class; the ratios are null when the class never occurred (TP + FP + FN = 0). */
export interface PanopticClassResult {
  trainId: number;
  pq: number | null;
  sq: number | null;
  rq: number | null;
  tp: number;
  fp: number;
  fn: number;
}

/** What {@link PanopticQuality.result} reports. Ratios are fractions in [0, 1]. */
export interface PanopticResult {
  /** Mean PQ over the thing classes that occurred (in ground truth or prediction); null when none did. */
  pq: number | null;
  /** Mean SQ over the same classes (a class without matches has SQ 0, as in panopticapi). */
  sq: number | null;
  /** Mean RQ over the same classes. */
  rq: number | null;
  /** Matched predictions / counted predictions, over all classes (AP50-like precision); null if none. */
  precision: number | null;
  /** Matched ground-truth instances / ground-truth instances, over all classes; null if none. */
  recall: number | null;
  tp: number;
  fp: number;
  fn: number;
  /** One entry per thing class that occurred, by ascending train id. */
  perClass: PanopticClassResult[];
}

/** Options of {@link PanopticQuality}. */
export interface PanopticQualityOptions {
  /** Classes evaluated; default CityScapes' eight thing classes. */
  thingTrainIds?: readonly number[];
  /** Match threshold, in [0.5, 1); default {@link DEFAULT_MATCH_IOU}. */
  iouThreshold?: number;
}

/**
 * Accumulates TP, FP, FN and the matched IoUs per class over any number of images; counts are exact, so
 * batch-by-batch updates equal one evaluation over all images.
 */
export class PanopticQuality {
  /** The evaluated thing classes, ascending. */
  readonly thingTrainIds: readonly number[];
  /** The match threshold. */
  readonly iouThreshold: number;
  private readonly isThing: Uint8Array;
  private readonly tp = new Float64Array(256);
  private readonly fp = new Float64Array(256);
  private readonly fn = new Float64Array(256);
  private readonly iouSum = new Float64Array(256);

  /**
   * @param options - Thing classes and match threshold.
   * @throws ValidationError naming `thingTrainIds[i]` or `iouThreshold` when invalid.
   */
  constructor(options: PanopticQualityOptions = {}) {
    const ids = options.thingTrainIds ?? DEFAULT_THING_TRAIN_IDS;
    this.isThing = thingLookup('thingTrainIds', ids);
    this.thingTrainIds = [...ids].sort((a, b) => a - b);
    this.iouThreshold = options.iouThreshold ?? DEFAULT_MATCH_IOU;
    assertInRange('iouThreshold', this.iouThreshold, 0.5, 1);
    if (this.iouThreshold === 1) invalid('iouThreshold', 'must be below 1 (IoU never exceeds 1)');
  }

  /**
   * Matches the instances of one image and adds the counts.
   *
   * @param prediction - Predicted id map and classes.
   * @param groundTruth - From {@link panopticGroundTruth}.
   * @throws ValidationError when the maps differ in length, or an id in the predicted map has no class in
   *   `prediction.instances` (or is listed twice); the accumulator is then left unchanged.
   */
  update(prediction: PanopticPrediction, groundTruth: PanopticGroundTruth): void {
    const pixels = groundTruth.idMap.length;
    assertLength('prediction.idMap', prediction.idMap, pixels, 'same as groundTruth.idMap');
    assertLength('groundTruth.voidMask', groundTruth.voidMask, pixels, 'same as groundTruth.idMap');
    assertLength('groundTruth.crowd', groundTruth.crowd, pixels, 'same as groundTruth.idMap');
    if (groundTruth.instances.length >= KEY_STRIDE) {
      invalid(
        'groundTruth.instances',
        `must hold fewer than ${KEY_STRIDE} instances, got ${groundTruth.instances.length}`,
      );
    }

    const classOf = new Map<number, number>();
    prediction.instances.forEach((instance, i) => {
      if (classOf.has(instance.id)) invalid(`prediction.instances[${i}].id`, `repeats id ${instance.id}`);
      classOf.set(instance.id, instance.trainId);
    });

    // Areas, overlaps with void and same-class crowd, and intersections, per predicted id.
    const predArea = new Map<number, number>();
    const predIgnored = new Map<number, number>();
    const predVoid = new Map<number, number>();
    const intersection = new Map<number, number>();
    for (let p = 0; p < pixels; p++) {
      const id = prediction.idMap[p]!;
      if (id <= 0) continue;
      const trainId = classOf.get(id);
      if (trainId === undefined)
        invalid(`prediction.idMap[${p}]`, `holds id ${id}, which prediction.instances lacks`);
      if (this.isThing[trainId] !== 1) continue;
      predArea.set(id, (predArea.get(id) ?? 0) + 1);
      const onVoid = groundTruth.voidMask[p] === 1;
      if (onVoid) predVoid.set(id, (predVoid.get(id) ?? 0) + 1);
      if (onVoid || groundTruth.crowd[p] === trainId) predIgnored.set(id, (predIgnored.get(id) ?? 0) + 1);
      const gt = groundTruth.idMap[p]!;
      if (gt > 0) intersection.set(id * KEY_STRIDE + gt, (intersection.get(id * KEY_STRIDE + gt) ?? 0) + 1);
    }

    const matchedPred = new Set<number>();
    const matchedGt = new Set<number>();
    for (const [key, overlap] of intersection) {
      const gtId = key % KEY_STRIDE;
      const predId = (key - gtId) / KEY_STRIDE;
      const gt = groundTruth.instances[gtId - 1];
      if (gt === undefined)
        invalid('groundTruth.idMap', `holds id ${gtId}, which groundTruth.instances lacks`);
      const trainId = classOf.get(predId)!;
      if (gt.trainId !== trainId) continue;
      const union = predArea.get(predId)! + gt.area - overlap - (predVoid.get(predId) ?? 0);
      const iou = overlap / union;
      if (iou > this.iouThreshold) {
        matchedPred.add(predId);
        matchedGt.add(gtId);
        this.tp[trainId]!++;
        this.iouSum[trainId]! += iou;
      }
    }
    for (const gt of groundTruth.instances) {
      if (gt.area > 0 && this.isThing[gt.trainId] === 1 && !matchedGt.has(gt.id)) this.fn[gt.trainId]!++;
    }
    for (const [predId, area] of predArea) {
      if (matchedPred.has(predId)) continue;
      if ((predIgnored.get(predId) ?? 0) / area > IGNORED_AREA_SHARE) continue;
      this.fp[classOf.get(predId)!]!++;
    }
  }

  /** Adds the counts of another accumulator with the same classes and threshold. */
  merge(other: PanopticQuality): void {
    if (
      other.iouThreshold !== this.iouThreshold ||
      other.thingTrainIds.join() !== this.thingTrainIds.join()
    ) {
      invalid('other', 'must have the same thingTrainIds and iouThreshold');
    }
    for (let c = 0; c < 256; c++) {
      this.tp[c]! += other.tp[c]!;
      this.fp[c]! += other.fp[c]!;
      this.fn[c]! += other.fn[c]!;
      this.iouSum[c]! += other.iouSum[c]!;
    }
  }

  /** Forgets every image counted so far. */
  reset(): void {
    for (const array of [this.tp, this.fp, this.fn, this.iouSum]) array.fill(0);
  }

  /** Metrics of everything counted so far. */
  result(): PanopticResult {
    const perClass: PanopticClassResult[] = [];
    let tpAll = 0;
    let fpAll = 0;
    let fnAll = 0;
    for (const trainId of this.thingTrainIds) {
      const tp = this.tp[trainId]!;
      const fp = this.fp[trainId]!;
      const fn = this.fn[trainId]!;
      tpAll += tp;
      fpAll += fp;
      fnAll += fn;
      if (tp + fp + fn === 0) continue;
      const sq = tp > 0 ? this.iouSum[trainId]! / tp : 0;
      const rq = tp / (tp + fp / 2 + fn / 2);
      perClass.push({ trainId, pq: sq * rq, sq, rq, tp, fp, fn });
    }
    const mean = (key: 'pq' | 'sq' | 'rq'): number | null =>
      perClass.length === 0 ? null : perClass.reduce((sum, c) => sum + c[key]!, 0) / perClass.length;
    return {
      pq: mean('pq'),
      sq: mean('sq'),
      rq: mean('rq'),
      precision: tpAll + fpAll > 0 ? tpAll / (tpAll + fpAll) : null,
      recall: tpAll + fnAll > 0 ? tpAll / (tpAll + fnAll) : null,
      tp: tpAll,
      fp: fpAll,
      fn: fnAll,
      perClass,
    };
  }
}
