/**
 * One call from "a dataset path and a split" to a ready {@link InputPipeline}: opens the CityScapes-layout
 * dataset inside `DATA_DIR`, lists and checks the split, and reads either the PNGs or the preprocessed cache.
 *
 * ```ts
 * const train = await createDatasetPipeline({
 *   dataDir: config.DATA_DIR, datasetPath: 'cityscapes', split: 'train', width: 256, height: 128,
 *   batchSize: 8, training: true, seed: 1, cache: { artifactDir: config.ARTIFACT_DIR },
 * });
 * ```
 *
 * @packageDocumentation
 */
import { throwIfAborted } from '../errors.js';
import { targetCacheKey } from './cache-key.js';
import { CityscapesReader, type PartnerKind } from './cityscapes-reader.js';
import { InputPipeline } from './pipeline.js';
import { PngSampleSource } from './png-sample-source.js';
import type { SampleSource } from './sample-source.js';
import { openOrBuildTargetCache } from './target-cache.js';

/** Options of {@link createDatasetPipeline}. */
export interface DatasetPipelineOptions {
  /** `DATA_DIR`. */
  dataDir: string;
  /** Dataset root relative to `DATA_DIR`. */
  datasetPath: string;
  /** Split to read, e.g. `train` or `val`. */
  split: string;
  /** Training width (pixels). */
  width: number;
  /** Training height (pixels). */
  height: number;
  batchSize: number;
  /** true: shuffled, mirrored at random; false: in order, no augmentation (validation). */
  training: boolean;
  /** Seed of shuffle and flips. Default 0. */
  seed?: number;
  /** Bound on loaded samples held at once (see `InputPipeline`). */
  maxSamplesInMemory?: number;
  /** Drop a last, smaller batch. Default: same as `training`. */
  dropRemainder?: boolean;
  /** Partners every image must have. Default: all. */
  require?: readonly PartnerKind[];
  /** Check every sample's headers (sizes, bit depths, camera files) before the first batch. Default true. */
  check?: boolean;
  /**
   * Use (and build when missing) the preprocessed cache under `ARTIFACT_DIR/cache/`; a build stops between
   * two samples once `signal` fires; `maxBytes` (`TARGET_CACHE_MAX_BYTES`) bounds all caches together, least
   * recently used out.
   */
  cache?: { artifactDir: string; signal?: AbortSignal; maxBytes?: number | undefined };
}

/**
 * Opens a dataset split as a pipeline.
 *
 * @throws `DatasetError` naming the offending file (path outside `DATA_DIR`, missing partner, size or bit
 *   depth mismatch, unreadable image, bad camera file); `ValidationError` for bad batch options.
 */
export async function createDatasetPipeline(options: DatasetPipelineOptions): Promise<InputPipeline> {
  const reader = await CityscapesReader.open(
    options.dataDir,
    options.datasetPath,
    options.require === undefined ? {} : { require: options.require },
  );
  const samples = await reader.listSamples(options.split);
  if (options.check ?? true) await reader.checkSamples(samples);
  throwIfAborted(options.cache?.signal);
  const png = new PngSampleSource(reader, samples, options.width, options.height);
  let source: SampleSource = png;
  if (options.cache !== undefined) {
    const key = await targetCacheKey(reader, samples, options.width, options.height);
    source = await openOrBuildTargetCache({
      artifactDir: options.cache.artifactDir,
      key,
      source: png,
      ...(options.cache.signal === undefined ? {} : { signal: options.cache.signal }),
      ...(options.cache.maxBytes === undefined ? {} : { maxBytes: options.cache.maxBytes }),
      ...(options.maxSamplesInMemory === undefined ? {} : { concurrency: options.maxSamplesInMemory }),
    });
  }
  return new InputPipeline({
    source,
    batchSize: options.batchSize,
    shuffle: options.training,
    flip: options.training,
    seed: options.seed ?? 0,
    dropRemainder: options.dropRemainder ?? options.training,
    ...(options.maxSamplesInMemory === undefined ? {} : { maxSamplesInMemory: options.maxSamplesInMemory }),
  });
}
