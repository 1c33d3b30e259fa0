/**
 * Pictures per epoch: a few fixed validation images, their ground truth, and at the end of each epoch the
 * coloured views of what the network predicts on them, stored with the job so that people can watch the
 * model learn (the dashboard's job page). Layout under `ARTIFACT_DIR/jobs/{jobId}/samples/`:
 * `0/{k}/{image|segmentation|depth}.png` is the ground truth of sample k, `{epoch}/{k}/{view}.png` the
 * prediction after that epoch. Only the first epoch and the last {@link KEPT_SAMPLE_EPOCHS} are kept.
 *
 * @packageDocumentation
 */
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs';
import type { SceneBatch } from '../data/batch.js';
import { encodePng, type RasterImage } from '../data/image-codec.js';
import type { ImageNormalisation } from '../data/normalisation.js';
import type { ModelManifest } from './artifacts.js';
import { colourizeDisparity, colourizeLabels, type Rgb } from './postprocess/index.js';
import { predictionView, VIEWS, type ViewName } from './prediction-views.js';
import { Predictor } from './predictor.js';

/** Validation images rendered per epoch. Why 3: enough to see variety, small enough to cost nothing (ms). */
export const SAMPLE_IMAGES = 3;

/**
 * Epochs whose pictures are kept besides the first. Why 8: a slider over the recent trend; 3 images x 4
 * views x 9 epochs at 64x128 is well under a megabyte, and a 500-epoch job stays as small.
 */
export const KEPT_SAMPLE_EPOCHS = 8;

/** The ground-truth pictures stored under epoch 0, in display order. */
export const GROUND_TRUTH_VIEWS = ['image', 'segmentation', 'depth'] as const;

/** Ground-truth picture names. */
export type GroundTruthView = (typeof GROUND_TRUTH_VIEWS)[number];

/** `ARTIFACT_DIR/jobs/{jobId}/samples`. */
export function samplesDir(artifactDir: string, jobId: string): string {
  return join(artifactDir, 'jobs', jobId, 'samples');
}

/** The validation images the pictures are made of, copied out of a batch (no tensor kept). */
export interface SampleImages {
  width: number;
  height: number;
  /** RGB 8-bit images, as the network saw them (denormalised). */
  images: RasterImage[];
  /** Ground-truth train ids per image (255 = ignore), when the batch has them. */
  labels?: Uint8Array[];
  /** Ground-truth disparity per image with its validity, when the batch has it. */
  disparity?: { values: Float32Array; valid: Uint8Array }[];
}

/** Undoes the input normalisation of one value: `((x / 255) - mean) / std` back to 0..255. */
export function denormalise(value: number, mean: number, std: number): number {
  return Math.max(0, Math.min(255, Math.round((value * std + mean) * 255)));
}

/**
 * Copies the first `count` images of a batch and their targets to host arrays.
 *
 * @param batch - A validation batch (not disposed here).
 * @param count - Images wanted; fewer when the batch is smaller.
 * @param normalisation - The normalisation the batch's images went through.
 */
export function captureSampleImages(
  batch: SceneBatch,
  count: number,
  normalisation: ImageNormalisation,
): SampleImages {
  const [size, height, width] = batch.images.shape;
  const n = Math.min(count, size);
  const pixels = width * height;
  const rgb = batch.images.dataSync();
  const images: RasterImage[] = [];
  for (let b = 0; b < n; b++) {
    const data = new Uint8Array(pixels * 3);
    for (let i = 0; i < pixels * 3; i++) {
      const c = i % 3;
      data[i] = denormalise(rgb[b * pixels * 3 + i]!, normalisation.mean[c]!, normalisation.std[c]!);
    }
    images.push({ width, height, channels: 3, bitDepth: 8, data });
  }
  const result: SampleImages = { width, height, images };
  if (batch.labels) {
    const labels = batch.labels.dataSync();
    result.labels = images.map((_, b) => Uint8Array.from(labels.subarray(b * pixels, (b + 1) * pixels)));
  }
  if (batch.disparity && batch.disparityMask) {
    const values = batch.disparity.dataSync();
    const mask = batch.disparityMask.dataSync();
    result.disparity = images.map((_, b) => ({
      values: Float32Array.from(values.subarray(b * pixels, (b + 1) * pixels)),
      valid: Uint8Array.from(mask.subarray(b * pixels, (b + 1) * pixels), (m) => (m > 0 ? 1 : 0)),
    }));
  }
  return result;
}

/**
 * Passes batches through unchanged, handing each to `onBatch` before it is consumed.
 *
 * @param batches - Batches (their consumer disposes them).
 * @param onBatch - Called with every batch, in order.
 */
export async function* tapBatches(
  batches: AsyncIterable<SceneBatch>,
  onBatch: (batch: SceneBatch) => void,
): AsyncGenerator<SceneBatch> {
  for await (const batch of batches) {
    onBatch(batch);
    yield batch;
  }
}

/**
 * Collects the first `count` images of the validation split over as many batches as it takes (a batch may
 * hold fewer), once: later evaluations show the same images.
 */
export class SampleCollector {
  private collected: SampleImages | undefined;
  private closed = false;

  constructor(
    private readonly count: number,
    private readonly normalisation: ImageNormalisation,
  ) {}

  /** Takes what it still needs from a batch (nothing once full or closed). */
  add(batch: SceneBatch): void {
    const have = this.collected?.images.length ?? 0;
    if (this.closed || have >= this.count) return;
    const more = captureSampleImages(batch, this.count - have, this.normalisation);
    if (this.collected === undefined) {
      this.collected = more;
      return;
    }
    const into = this.collected;
    into.images.push(...more.images);
    if (into.labels && more.labels) into.labels.push(...more.labels);
    if (into.disparity && more.disparity) into.disparity.push(...more.disparity);
  }

  /** Ends collection (after the first evaluation): the set is fixed from then on. */
  close(): void {
    this.closed = true;
  }

  /** The images collected, if any. */
  get samples(): SampleImages | undefined {
    return this.collected;
  }
}

/** Writes files into `dir` atomically: into a temporary sibling first, renamed when complete. */
async function writeFolder(dir: string, files: Record<string, Buffer>): Promise<void> {
  const temporary = `${dir}.tmp-${process.pid}`;
  await rm(temporary, { recursive: true, force: true });
  await mkdir(temporary, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) await writeFile(join(temporary, name), bytes);
  await rm(dir, { recursive: true, force: true });
  await rename(temporary, dir);
}

/** The ground-truth pictures of each sample, under epoch 0 (written once). */
export async function writeGroundTruthSamples(
  dir: string,
  samples: SampleImages,
  palette: readonly Rgb[],
): Promise<void> {
  const { width, height } = samples;
  const rgb = (data: Uint8Array) => encodePng({ width, height, channels: 3, bitDepth: 8, data });
  for (const [k, image] of samples.images.entries()) {
    const files: Record<string, Buffer> = { 'image.png': await encodePng(image) };
    const labels = samples.labels?.[k];
    if (labels) files['segmentation.png'] = await rgb(colourizeLabels(labels, palette));
    const disparity = samples.disparity?.[k];
    if (disparity) {
      files['depth.png'] = await rgb(
        colourizeDisparity(disparity.values, undefined, undefined, { valid: disparity.valid }),
      );
    }
    await writeFolder(join(dir, '0', String(k)), files);
  }
}

/** The views a model with these tasks can show. */
export function viewsFor(tasks: readonly string[]): ViewName[] {
  return VIEWS.filter((view) => (view === 'overlay' ? tasks.includes('segmentation') : tasks.includes(view)));
}

/**
 * Predicts the samples with the model as it stands and writes their coloured views under `{epoch}/`.
 * The model is not disposed; no tensor outlives the call.
 */
export async function writeEpochSamples(
  dir: string,
  epoch: number,
  model: LayersModel,
  manifest: ModelManifest,
  samples: SampleImages,
): Promise<void> {
  const predictor = new Predictor(model, manifest);
  const views = viewsFor(manifest.tasks);
  for (const [k, image] of samples.images.entries()) {
    const { maps } = predictor.run(image);
    const files: Record<string, Buffer> = {};
    for (const view of views) files[`${view}.png`] = await predictionView(maps, image, view);
    await writeFolder(join(dir, String(epoch), String(k)), files);
  }
}

/** The epochs that have pictures, ascending (0, the ground truth, left out). */
export async function sampleEpochs(dir: string): Promise<number[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => /^[1-9]\d*$/.test(name))
    .map(Number)
    .sort((a, b) => a - b);
}

/** Removes the pictures of every epoch but the first and the last `keep`. */
export async function pruneSampleEpochs(dir: string, keep: number = KEPT_SAMPLE_EPOCHS): Promise<void> {
  const epochs = await sampleEpochs(dir);
  const kept = new Set([epochs[0], ...epochs.slice(-keep)]);
  for (const epoch of epochs) {
    if (!kept.has(epoch)) await rm(join(dir, String(epoch)), { recursive: true, force: true });
  }
}

/** What a job's pictures are: how many samples, which epochs, which views. */
export interface SampleIndex {
  samples: number;
  epochs: number[];
  views: string[];
  groundTruth: string[];
}

/** Lists a job's pictures (an empty index when there are none yet). */
export async function readSampleIndex(dir: string): Promise<SampleIndex> {
  const epochs = await sampleEpochs(dir);
  const listNames = async (path: string) =>
    (await readdir(path).catch(() => [] as string[]))
      .filter((n) => n.endsWith('.png'))
      .map((n) => n.slice(0, -4));
  const samples = (await readdir(join(dir, '0')).catch(() => [] as string[])).filter((n) =>
    /^\d+$/.test(n),
  ).length;
  const last = epochs.at(-1);
  const views = last === undefined ? [] : await listNames(join(dir, String(last), '0'));
  const groundTruth = await listNames(join(dir, '0', '0'));
  const order = (list: readonly string[]) => (a: string, b: string) => list.indexOf(a) - list.indexOf(b);
  return {
    samples: epochs.length === 0 ? 0 : samples,
    epochs,
    views: views.sort(order(VIEWS)),
    groundTruth: groundTruth.sort(order(GROUND_TRUTH_VIEWS)),
  };
}
