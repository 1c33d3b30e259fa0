import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import type { RasterImage } from '../data/image-codec.js';
import { resizeBilinear } from '../data/resize.js';
import { ValidationError } from '../errors.js';
import { tf } from '../tf/index.js';
import type { ModelManifest } from './artifacts.js';
import { splitNetwork, type NetworkSplit } from './network-split.js';
import { disparityToDepth } from './postprocess/index.js';
import {
  collectRows,
  PredictionMaps,
  type HeadOutputs,
  type InstancePrediction,
  type SegmentationPrediction,
} from './prediction-maps.js';
import { canonicalTasks, type Task } from './tasks.js';

export {
  collectRows,
  MAX_UPSAMPLED_LOGITS,
  measureInstances,
  PredictionMaps,
  type InstancePrediction,
  type SegmentationPrediction,
} from './prediction-maps.js';

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
 * A prediction whose full-size outputs are computed on demand ({@link Predictor.run}); `inferenceMs` is
 * the forward pass of the `batch` images it ran with.
 */
export interface LazyPrediction {
  maps: PredictionMaps;
  /** `threads`: how many threads ran its heads (2 when they ran apart, head-sharing.ts). */
  timings: { preprocessMs: number; inferenceMs: number; batch: number; threads: number };
}

/** Which key of {@link HeadOutputs} holds each task's head. */
export const HEAD_KEYS: Readonly<Record<Task, keyof HeadOutputs>> = {
  segmentation: 'logits',
  instances: 'offsets',
  depth: 'depth',
};

/** An image resized and converted for the network ({@link Predictor.prepare}), with the outputs asked of it. */
export interface PreparedImage {
  /** The network's input: interleaved RGB at the input size, normalised as in training ({@link toNetworkInput}). */
  input: Float32Array;
  /** The image's own size, at which the outputs are given. */
  width: number;
  height: number;
  outputs: readonly Task[];
  preprocessMs: number;
}

/**
 * Runs a trained model on images of any size: resizes the image to the model's input size, normalises it
 * as in training and predicts. Every tensor stays at the input size; the outputs are brought back to the
 * image's size in plain arrays, row by row ({@link PredictionMaps}): segmentation logits, offsets' id map
 * and disparity, disparity rescaled to the image's pixels, then argmax, instance clustering, disparity to
 * metres.
 */
export class Predictor {
  readonly tasks: Task[];
  /** The split, once built (null: not yet; undefined: the graph has another layout). */
  private splitCache: NetworkSplit | undefined | null = null;

  constructor(
    readonly model: LayersModel,
    readonly manifest: ModelManifest,
  ) {
    this.tasks = canonicalTasks(manifest.tasks);
  }

  /**
   * The network cut into trunk and heads ({@link splitNetwork}; undefined for a graph of another layout),
   * for predictions whose heads run apart: {@link Predictor.trunk}, {@link Predictor.head}. Built on first
   * use: it adds users to the heads' weights that only {@link Predictor.dispose} removes, so a predictor
   * over a model it does not own (a training job's epoch samples) must never ask for it.
   */
  get split(): NetworkSplit | undefined {
    if (this.splitCache === null) this.splitCache = splitNetwork(this.model, this.tasks);
    return this.splitCache;
  }

  /**
   * The heads an image's outputs need, in the model's order: instances keep only the pixels where the
   * segmentation agrees with their class, so they need the segmentation head too.
   */
  headsFor(outputs: readonly Task[]): Task[] {
    const wanted = new Set(outputs);
    if (wanted.has('instances')) wanted.add('segmentation');
    return this.tasks.filter((task) => wanted.has(task));
  }

  /**
   * The trunk's features of one prepared image (batch 1), as tensors the caller disposes.
   *
   * @throws Error when the model has no {@link Predictor.split}.
   */
  trunk(image: PreparedImage): Tensor[] {
    const split = this.requireSplit();
    const [inputH, inputW] = this.manifest.inputSize;
    return tf.tidy(() => split.trunk.predict(tf.tensor4d(image.input, [1, inputH, inputW, 3])) as Tensor[]);
  }

  /**
   * One head on trunk features ({@link Predictor.trunk}'s, or tensors of the same shapes), read back as
   * the whole model's output for that task would be, to the bit. No tensor outlives the call.
   */
  head(task: Task, features: readonly Tensor[]): Float32Array {
    const head = this.requireSplit().heads[task];
    if (head === undefined) throw new Error(`model ${this.manifest.id} has no ${task} head`);
    const output = head.predict([...features]) as Tensor;
    try {
      const data = output.dataSync();
      return data instanceof Float32Array ? data : Float32Array.from(data);
    } finally {
      output.dispose();
    }
  }

  private requireSplit(): NetworkSplit {
    if (this.split === undefined) throw new Error(`model ${this.manifest.id} cannot run its heads apart`);
    return this.split;
  }

  /**
   * Runs the network and returns the outputs at the image size, each computed when asked for: what the
   * API uses, so that a large image never costs a full-size float map per head.
   *
   * @param image - Decoded image (grey, grey+alpha, RGB or RGBA; 8 or 16 bit). Not kept.
   * @param outputs - Heads to return; default: every task of the model.
   * @throws ValidationError when an output is asked for that the model was not trained for.
   */
  run(image: RasterImage, outputs: readonly Task[] = this.tasks): LazyPrediction {
    return this.runBatch([this.prepare(image, outputs)])[0]!;
  }

  /**
   * Makes an image ready for the network: checks the outputs, resizes it to the input size and keeps
   * only the network's input (the full-size image is not referenced by the result).
   *
   * @param image - Decoded image (grey, grey+alpha, RGB or RGBA; 8 or 16 bit). Not kept.
   * @param outputs - Heads to return; default: every task of the model.
   * @throws ValidationError when an output is asked for that the model was not trained for.
   */
  prepare(image: RasterImage, outputs: readonly Task[] = this.tasks): PreparedImage {
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
    const input = toNetworkInput(resizeBilinear(image, inputW, inputH), this.manifest.normalisation);
    return { input, width, height, outputs, preprocessMs: performance.now() - t0 };
  }

  /**
   * Runs the network once on several prepared images (a batch of `images.length`) and returns each one's
   * outputs at its image size, computed on demand. Each image gets the outputs it asked for; the network
   * is the same function of each image whatever the batch (inference-mode batch norm), so an image's
   * answer does not depend on its companions.
   */
  runBatch(images: readonly PreparedImage[]): LazyPrediction[] {
    if (images.length === 0) return [];
    const needed = new Set(this.headsFor(images.flatMap((image) => image.outputs)));
    const t1 = performance.now();
    const heads = this.infer(
      images.map((image) => image.input),
      needed,
    );
    const inferenceMs = performance.now() - t1;
    return images.map((image, i) => ({
      maps: new PredictionMaps(heads[i]!, this.manifest, image.outputs, image.width, image.height),
      timings: { preprocessMs: image.preprocessMs, inferenceMs, batch: images.length, threads: 1 },
    }));
  }

  /**
   * Predicts and computes every asked-for output at the image's size, as full arrays (for the CLI and
   * library use; the API encodes {@link Predictor.run}'s maps one at a time instead).
   *
   * @param image - Decoded image (grey, grey+alpha, RGB or RGBA; 8 or 16 bit).
   * @param outputs - Heads to return; default: every task of the model.
   * @throws ValidationError when an output is asked for that the model was not trained for.
   */
  predict(image: RasterImage, outputs: readonly Task[] = this.tasks): Prediction {
    const { maps, timings } = this.run(image, outputs);
    const t0 = performance.now();
    const prediction: Prediction = {
      width: maps.width,
      height: maps.height,
      timings: { preprocessMs: timings.preprocessMs, inferenceMs: timings.inferenceMs, postprocessMs: 0 },
    };
    const segmentation = maps.segmentation();
    if (segmentation) prediction.segmentation = segmentation;
    const instances = maps.instances();
    if (instances) prediction.instances = instances;
    if (maps.hasDepth()) {
      const disparity = collectRows(maps.disparityRows, maps.width * maps.height);
      let min = Infinity;
      let max = -Infinity;
      for (const d of disparity) {
        if (d < min) min = d;
        if (d > max) max = d;
      }
      const camera = maps.camera();
      prediction.depth = {
        disparity,
        min,
        max,
        ...(camera ? { depth: disparityToDepth(disparity, camera) } : {}),
      };
    }
    prediction.timings.postprocessMs = performance.now() - t0;
    return prediction;
  }

  /** Frees the model (the split's heads first: they count as users of the model's weights). */
  dispose(): void {
    this.splitCache?.dispose();
    this.model.dispose();
  }

  /**
   * The wanted heads of each image at the input size, read out of the backend in one forward pass (no
   * tensor outlives the call).
   */
  private infer(batch: readonly Float32Array[], wanted: ReadonlySet<Task>): HeadOutputs[] {
    const [inputH, inputW] = this.manifest.inputSize;
    const perImage = inputH * inputW * 3;
    let input = batch[0]!;
    if (batch.length > 1) {
      input = new Float32Array(perImage * batch.length);
      batch.forEach((image, i) => input.set(image, i * perImage));
    }
    const results = tf.tidy(() => {
      const output = this.model.predict(tf.tensor4d(input, [batch.length, inputH, inputW, 3])) as
        Tensor | Tensor[];
      const heads = Array.isArray(output) ? output : [output];
      const out: Partial<Record<keyof HeadOutputs, Tensor>> = {};
      for (const [i, task] of this.tasks.entries()) if (wanted.has(task)) out[HEAD_KEYS[task]] = heads[i]!;
      return out;
    });
    try {
      const heads: HeadOutputs[] = batch.map(() => ({}));
      for (const key of ['logits', 'offsets', 'depth'] as const) {
        const tensor = results[key];
        if (tensor === undefined) continue;
        // dataSync is already a copy of the backend's memory (wasm, node); only convert a non-float head.
        const data = tensor.dataSync();
        const all = data instanceof Float32Array ? data : Float32Array.from(data);
        const size = all.length / batch.length;
        // Each image's own copy: one image's maps never keep the whole batch's memory alive.
        heads.forEach(
          (head, i) => (head[key] = batch.length === 1 ? all : all.slice(i * size, (i + 1) * size)),
        );
      }
      return heads;
    } finally {
      tf.dispose(Object.values(results));
    }
  }
}

/**
 * An image at the network's input size as the network's input: interleaved RGB, each channel
 * `(p / 255 - mean) / std` (grey replicated, alpha dropped, 16-bit scaled to 0..255 first). Each step is
 * rounded to single precision as the tensor ops `div(sub(div(x, 255), mean), std)` round it (a float32
 * operation equals the double one rounded), so the input is the one those ops give, to the bit, without
 * three tensor passes.
 */
export function toNetworkInput(
  image: RasterImage,
  normalisation: { mean: readonly number[]; std: readonly number[] },
): Float32Array {
  const f32 = Math.fround;
  const mean = normalisation.mean.map(f32);
  const std = normalisation.std.map(f32);
  const pixels = toRgbFloat(image);
  for (let i = 0; i < pixels.length; i += 3) {
    for (let c = 0; c < 3; c++) {
      pixels[i + c] = f32(f32(f32(pixels[i + c]! / 255) - mean[c]!) / std[c]!);
    }
  }
  return pixels;
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

/**
 * Any decoded image as interleaved 8-bit RGB (grey replicated, alpha dropped, 16-bit scaled and rounded):
 * the values of {@link toRgbFloat} rounded, without its 12 bytes a pixel.
 */
export function toRgb8(image: RasterImage): Uint8Array {
  const { width, height, channels, bitDepth, data } = image;
  const pixels = width * height;
  const out = new Uint8Array(pixels * 3);
  const grey = channels <= 2;
  const sample =
    bitDepth === 16 ? (v: number) => Math.round(Math.fround(v * (255 / 65535))) : (v: number) => v;
  for (let i = 0, j = 0; i < pixels; i++, j += channels) {
    out[i * 3] = sample(data[j]!);
    out[i * 3 + 1] = sample(data[grey ? j : j + 1]!);
    out[i * 3 + 2] = sample(data[grey ? j : j + 2]!);
  }
  return out;
}
