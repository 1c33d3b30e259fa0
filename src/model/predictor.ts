import type { LayersModel, Tensor, Tensor4D } from '@tensorflow/tfjs';
import type { RasterImage } from '../data/image-codec.js';
import { resizeBilinear, resizeNearest } from '../data/resize.js';
import { ValidationError } from '../errors.js';
import { tf } from '../tf/index.js';
import type { ManifestClass, ModelManifest } from './artifacts.js';
import { clusterInstances, disparityToDepth, type InstanceSummary } from './postprocess/index.js';
import { canonicalTasks, type Task } from './tasks.js';

/** Segmentation output at the image's size. */
export interface SegmentationPrediction {
  /** Row-major train ids. */
  labels: Uint8Array;
  /** Every class of the model with the share of pixels predicted as it (0 when absent). */
  classes: (ManifestClass & { pixelShare: number })[];
}

/** Instance output at the image's size. */
export interface InstancePrediction {
  /** Row-major instance ids at the image size; 0 = no instance, n = the instance whose `id` is n. */
  idMap: Uint16Array;
  instances: (InstanceSummary & { className: string | null })[];
}

/** Depth output at the image's size. */
export interface DepthPrediction {
  /** Row-major disparity in pixels of this image. */
  disparity: Float32Array;
  min: number;
  max: number;
  /** Depth in metres where the model knows its training camera. */
  depth?: Float32Array;
}

/** Everything one prediction returns; outputs are at the input image's size. */
export interface Prediction {
  width: number;
  height: number;
  segmentation?: SegmentationPrediction;
  instances?: InstancePrediction;
  depth?: DepthPrediction;
  timings: { preprocessMs: number; inferenceMs: number; postprocessMs: number };
}

/**
 * Most floats of upsampled segmentation logits per prediction (64 MiB): up to ~840k pixels of a 19-class
 * model (e.g. 1024x820) get smooth full-size boundaries; larger images get the argmax enlarged.
 */
const MAX_UPSAMPLED_LOGITS = 16 * 1024 * 1024;

interface RawOutputs {
  labels?: Uint8Array;
  disparity?: Float32Array;
  /** At the model's input size, for clustering: train ids and offsets in input pixels. */
  modelLabels?: Uint8Array;
  modelOffsets?: Float32Array;
}

/**
 * Runs a trained model on images of any size: resizes the image to the model's input size, normalises it
 * as in training, predicts, and brings every output back to the image's size (segmentation logits and
 * offsets and disparity bilinearly, offsets and disparity rescaled to the image's pixels), then
 * post-processes: argmax, instance clustering, disparity to metres.
 */
export class Predictor {
  readonly tasks: Task[];

  constructor(
    readonly model: LayersModel,
    readonly manifest: ModelManifest,
  ) {
    this.tasks = canonicalTasks(manifest.tasks);
  }

  /**
   * @param image - Decoded image (grey, grey+alpha, RGB or RGBA; 8 or 16 bit).
   * @param outputs - Heads to return; default: every task of the model.
   * @throws ValidationError when an output is asked for that the model was not trained for.
   */
  predict(image: RasterImage, outputs: readonly Task[] = this.tasks): Prediction {
    for (const task of outputs) {
      if (!this.tasks.includes(task)) {
        throw new ValidationError(
          `outputs: model ${this.manifest.id} has no ${task} head (it has ${this.tasks.join(', ')})`,
        );
      }
    }
    const { width, height } = image;
    const [inputH, inputW] = this.manifest.inputSize;
    const t0 = performance.now();
    // The same anti-aliased resize the training pipeline applies (tfjs' bilinear resize does not filter,
    // so an 8x reduction would show the network aliasing it never saw), and no full-size float copy.
    const pixels = toRgbFloat(resizeBilinear(image, inputW, inputH));
    const t1 = performance.now();
    const needSegmentation =
      outputs.includes('segmentation') ||
      (outputs.includes('instances') && this.tasks.includes('segmentation'));
    const raw = this.infer(pixels, width, height, {
      segmentation: needSegmentation,
      instances: outputs.includes('instances'),
      depth: outputs.includes('depth'),
    });
    const t2 = performance.now();
    const prediction: Prediction = {
      width,
      height,
      timings: { preprocessMs: t1 - t0, inferenceMs: t2 - t1, postprocessMs: 0 },
    };
    if (outputs.includes('segmentation') && raw.labels)
      prediction.segmentation = this.segmentation(raw.labels);
    if (outputs.includes('instances') && raw.modelOffsets)
      prediction.instances = this.instances(raw.modelOffsets, raw.modelLabels, raw.labels, width, height);
    if (outputs.includes('depth') && raw.disparity) prediction.depth = this.depth(raw.disparity, width);
    prediction.timings.postprocessMs = performance.now() - t2;
    return prediction;
  }

  /** Frees the model. */
  dispose(): void {
    this.model.dispose();
  }

  private infer(
    pixels: Float32Array,
    width: number,
    height: number,
    wanted: Record<Task, boolean>,
  ): RawOutputs {
    const [inputH, inputW] = this.manifest.inputSize;
    const { mean, std } = this.manifest.normalisation;
    const results = tf.tidy(() => {
      const resized = tf.tensor4d(pixels, [1, inputH, inputW, 3]);
      const normalised = tf.div(tf.sub(tf.div(resized, 255), tf.tensor1d(mean)), tf.tensor1d(std));
      const output = this.model.predict(normalised) as Tensor | Tensor[];
      const heads = Array.isArray(output) ? output : [output];
      const back = (t: Tensor) => tf.image.resizeBilinear(t as Tensor4D, [height, width], false, true);
      const byTask = Object.fromEntries(this.tasks.map((task, i) => [task, heads[i]!])) as Partial<
        Record<Task, Tensor>
      >;
      const out: Partial<Record<'labels' | 'disparity' | 'modelLabels' | 'modelOffsets', Tensor>> = {};
      if (wanted.segmentation && byTask.segmentation) {
        // Upsampled logits give smooth class boundaries but cost classes x pixels floats: beyond a budget,
        // take the argmax at the input size and enlarge the labels (nearest) instead.
        const logits = byTask.segmentation;
        const fullSize = width * height * (logits.shape[3] ?? 1) <= MAX_UPSAMPLED_LOGITS;
        out.labels = fullSize
          ? tf.cast(tf.argMax(back(logits), -1), 'int32')
          : tf.cast(
              tf.squeeze(
                tf.image.resizeNearestNeighbor(
                  tf.expandDims(tf.cast(tf.argMax(logits, -1), 'float32'), -1) as Tensor4D,
                  [height, width],
                  false,
                  true,
                ),
                [0, 3],
              ),
              'int32',
            );
      }
      if (wanted.instances && byTask.instances) {
        out.modelOffsets = byTask.instances;
        if (byTask.segmentation) out.modelLabels = tf.cast(tf.argMax(byTask.segmentation, -1), 'int32');
      }
      // Disparity is never negative (a regression head can undershoot): clamp at 0 before rescaling.
      if (wanted.depth && byTask.depth) out.disparity = tf.mul(tf.relu(back(byTask.depth)), width / inputW);
      return out;
    });
    try {
      return {
        ...(results.labels ? { labels: Uint8Array.from(results.labels.dataSync()) } : {}),
        ...(results.modelLabels ? { modelLabels: Uint8Array.from(results.modelLabels.dataSync()) } : {}),
        ...(results.modelOffsets ? { modelOffsets: results.modelOffsets.dataSync() as Float32Array } : {}),
        ...(results.disparity ? { disparity: results.disparity.dataSync() as Float32Array } : {}),
      };
    } finally {
      tf.dispose(Object.values(results));
    }
  }

  private segmentation(labels: Uint8Array): SegmentationPrediction {
    const counts = new Float64Array(256);
    for (const label of labels) counts[label]! += 1;
    return {
      labels,
      classes: this.manifest.classes.map((c) => ({ ...c, pixelShare: counts[c.trainId]! / labels.length })),
    };
  }

  /**
   * Clusters at the model's input size (the network's own resolution, so the cost does not grow with the
   * image), then maps the id map to the image with nearest sampling, keeps an instance's pixels only where
   * the full-resolution segmentation agrees with its class, and measures area, bbox and centroid there.
   */
  private instances(
    modelOffsets: Float32Array,
    modelLabels: Uint8Array | undefined,
    labels: Uint8Array | undefined,
    width: number,
    height: number,
  ): InstancePrediction {
    const [inputH, inputW] = this.manifest.inputSize;
    // Without a segmentation head every pixel votes, as one class-less "thing".
    const semantic = modelLabels ?? new Uint8Array(inputW * inputH);
    const thingTrainIds = modelLabels ? this.thingTrainIds() : [0];
    const clustered = clusterInstances({
      offsets: modelOffsets,
      semantic,
      height: inputH,
      width: inputW,
      thingTrainIds,
    });
    const upsampled = resizeNearest(
      { width: inputW, height: inputH, channels: 1, bitDepth: 16, data: clustered.idMap },
      width,
      height,
    ).data as Uint16Array;
    const byId = new Map(clustered.instances.map((instance) => [instance.id, instance]));
    if (labels) {
      for (let i = 0; i < upsampled.length; i++) {
        const id = upsampled[i]!;
        if (id !== 0 && labels[i] !== byId.get(id)!.trainId) upsampled[i] = 0;
      }
    }
    const names = new Map(this.manifest.classes.map((c) => [c.trainId, c.name]));
    const instances = measureInstances(upsampled, width)
      .filter((m) => byId.has(m.id))
      .map((m) => {
        const { trainId, score } = byId.get(m.id)!;
        return { ...m, trainId, score, className: modelLabels ? (names.get(trainId) ?? null) : null };
      });
    return { idMap: upsampled, instances };
  }

  private depth(disparity: Float32Array, width: number): DepthPrediction {
    let min = Infinity;
    let max = -Infinity;
    for (const d of disparity) {
      if (d < min) min = d;
      if (d > max) max = d;
    }
    const camera = this.manifest.camera;
    // The camera is stored at the input size; disparity here is in this image's pixels, so scale fx too.
    const scale = width / this.manifest.inputSize[1];
    return {
      disparity,
      min,
      max,
      ...(camera
        ? { depth: disparityToDepth(disparity, { fx: camera.fx * scale, baseline: camera.baseline }) }
        : {}),
    };
  }

  private thingTrainIds(): number[] {
    return this.manifest.classes.filter((c) => c.isThing).map((c) => c.trainId);
  }
}

/** Area, bbox [x0, y0, x1, y1) and centroid of every id present in a row-major id map (0 = none), by id. */
export function measureInstances(
  idMap: Uint16Array,
  width: number,
): { id: number; area: number; bbox: [number, number, number, number]; centroid: [number, number] }[] {
  const stats = new Map<
    number,
    { area: number; x0: number; y0: number; x1: number; y1: number; sx: number; sy: number }
  >();
  for (let i = 0; i < idMap.length; i++) {
    const id = idMap[i]!;
    if (id === 0) continue;
    const x = i % width;
    const y = (i - x) / width;
    const s = stats.get(id);
    if (s === undefined) {
      stats.set(id, { area: 1, x0: x, y0: y, x1: x + 1, y1: y + 1, sx: x, sy: y });
    } else {
      s.area += 1;
      s.x0 = Math.min(s.x0, x);
      s.y0 = Math.min(s.y0, y);
      s.x1 = Math.max(s.x1, x + 1);
      s.y1 = Math.max(s.y1, y + 1);
      s.sx += x;
      s.sy += y;
    }
  }
  return [...stats.entries()]
    .sort(([a], [b]) => a - b)
    .map(([id, s]) => ({
      id,
      area: s.area,
      bbox: [s.x0, s.y0, s.x1, s.y1],
      centroid: [s.sx / s.area, s.sy / s.area],
    }));
}

/** Any decoded image as interleaved RGB floats in 0..255 (grey replicated, alpha dropped, 16-bit scaled). */
export function toRgbFloat(image: RasterImage): Float32Array {
  const { width, height, channels, bitDepth, data } = image;
  const scale = bitDepth === 16 ? 255 / 65535 : 1;
  const out = new Float32Array(width * height * 3);
  for (let i = 0, j = 0; i < width * height; i++, j += channels) {
    const grey = channels <= 2;
    out[i * 3] = data[j]! * scale;
    out[i * 3 + 1] = data[grey ? j : j + 1]! * scale;
    out[i * 3 + 2] = data[grey ? j : j + 2]! * scale;
  }
  return out;
}
