/**
 * The input pipeline: turns a {@link SampleSource} into batches of tensors, epoch by epoch.
 *
 * - **Order**: training epochs are shuffled by a permutation drawn from `(seed, epoch)` only, and each sample
 *   is mirrored (with probability {@link FLIP_PROBABILITY}) by a decision drawn from the same stream, so an
 *   epoch is identical on every run whatever the timing. Validation (`shuffle: false, flip: false`) is in
 *   source order without augmentation.
 * - **Streaming**: samples are loaded ahead of the consumer into an ordered prefetch window; at most
 *   `maxSamplesInMemory` loaded samples (in flight, waiting, or being copied into a batch) exist at any time,
 *   however large the dataset. {@link InputPipeline.stats} counts them.
 * - **Tensors**: none are held by the pipeline. A batch's tensors are made when the consumer takes it.
 *
 * **Consumer contract**: every {@link SceneBatch} yielded belongs to the consumer, which must call
 * `disposeBatch` on it (typically in a `finally` after the train step). Stopping early (`break`, an exception, `return()`)
 * is safe: pending loads are awaited and dropped, and no tensor is left behind.
 *
 * ```ts
 * const pipeline = new InputPipeline({ source, batchSize: 8, shuffle: true, flip: true, seed: 1 });
 * for (let epoch = 0; epoch < epochs; epoch++) {
 *   for await (const batch of pipeline.batches(epoch)) {
 *     try { await trainStep(batch); } finally { disposeBatch(batch); }
 *   }
 * }
 * await pipeline.close();
 * ```
 *
 * @packageDocumentation
 */
import { ValidationError } from '../errors.js';
import { assembleHostBatch, hostBatchToTensors, type SceneBatch } from './batch.js';
import { IMAGE_NORMALISATION, normalisationTable, type ImageNormalisation } from './normalisation.js';
import type { SampleSource } from './sample-source.js';
import { epochSeed, mulberry32, permutation } from './seeded-random.js';
import type { SampleTargets } from './targets.js';

/** Chance that a training sample is mirrored. Why 0.5: left and right are equally likely in street scenes. */
export const FLIP_PROBABILITY = 0.5;

/**
 * Default bound on loaded samples, as a multiple of the batch size. Why 2: one batch being consumed while the
 * next is decoded, the least that keeps decoding off the training step's critical path.
 */
export const DEFAULT_PREFETCH_BATCHES = 2;

/** Options of {@link InputPipeline}. */
export interface InputPipelineOptions {
  /** Where samples come from. */
  source: SampleSource;
  /** Samples per batch (>= 1). */
  batchSize: number;
  /** Shuffle each epoch (training). Default false. */
  shuffle?: boolean;
  /** Mirror samples at random (training). Default false. */
  flip?: boolean;
  /** Seed of the shuffle and flip decisions. Default 0. */
  seed?: number;
  /** Most loaded samples held at once (>= batchSize). Default `batchSize * 2`. */
  maxSamplesInMemory?: number;
  /** Drop a last batch smaller than `batchSize`. Default false. */
  dropRemainder?: boolean;
  /** Image normalisation. Default {@link IMAGE_NORMALISATION}. */
  normalisation?: ImageNormalisation;
}

/** What an epoch will do: the sample order and which samples are mirrored (by position in the order). */
export interface EpochPlan {
  order: Uint32Array;
  flips: Uint8Array;
}

/** Counters of loaded samples held by a pipeline. */
export interface PipelineStats {
  /** Loaded (or loading) samples held now. */
  live: number;
  /** Most ever held at once. */
  peak: number;
  /** Samples loaded since the pipeline was made. */
  loaded: number;
}

/** Batches a {@link SampleSource}; see the module documentation. */
export class InputPipeline {
  readonly source: SampleSource;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly flip: boolean;
  readonly seed: number;
  readonly maxSamplesInMemory: number;
  readonly dropRemainder: boolean;
  readonly normalisation: ImageNormalisation;
  private readonly lut: Float32Array;
  private readonly counters: PipelineStats = { live: 0, peak: 0, loaded: 0 };

  /**
   * @throws {@link ValidationError} when `batchSize` is not a positive integer or `maxSamplesInMemory` is
   *   smaller than it.
   */
  constructor(options: InputPipelineOptions) {
    const { batchSize } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new ValidationError(`batchSize must be a positive integer, got ${batchSize}`);
    }
    const max = options.maxSamplesInMemory ?? batchSize * DEFAULT_PREFETCH_BATCHES;
    if (!Number.isInteger(max) || max < batchSize) {
      throw new ValidationError(`maxSamplesInMemory (${max}) must be an integer >= batchSize (${batchSize})`);
    }
    this.source = options.source;
    this.batchSize = batchSize;
    this.shuffle = options.shuffle ?? false;
    this.flip = options.flip ?? false;
    this.seed = options.seed ?? 0;
    this.maxSamplesInMemory = max;
    this.dropRemainder = options.dropRemainder ?? false;
    this.normalisation = options.normalisation ?? IMAGE_NORMALISATION;
    this.lut = normalisationTable(this.normalisation);
  }

  /** Samples per epoch (after dropping a remainder). */
  get samplesPerEpoch(): number {
    const n = this.source.length;
    return this.dropRemainder ? n - (n % this.batchSize) : n;
  }

  /** Batches per epoch. */
  get batchesPerEpoch(): number {
    return Math.ceil(this.samplesPerEpoch / this.batchSize);
  }

  /** A snapshot of the loaded-sample counters. */
  get stats(): PipelineStats {
    return { ...this.counters };
  }

  /** The order and flips of `epoch`, a pure function of `(seed, epoch)` and the options. */
  epochPlan(epoch: number): EpochPlan {
    const n = this.source.length;
    const random = mulberry32(epochSeed(this.seed, epoch));
    const order = this.shuffle ? permutation(n, random) : Uint32Array.from({ length: n }, (_, i) => i);
    const flips = new Uint8Array(n);
    if (this.flip) for (let i = 0; i < n; i++) flips[i] = random() < FLIP_PROBABILITY ? 1 : 0;
    return { order, flips };
  }

  /**
   * The batches of one epoch. The consumer owns (and must dispose) each batch; see the module documentation.
   *
   * @param epoch - Epoch number (0-based); picks the shuffle and flips.
   * @param fromBatch - First batch to yield (a resumed job continues mid-epoch); earlier samples are not loaded.
   * @throws Whatever the source throws for a sample (e.g. a `DatasetError` naming the file), when the
   *   consumer reaches that sample's batch.
   */
  async *batches(epoch = 0, fromBatch = 0): AsyncGenerator<Required<SceneBatch>, void, undefined> {
    const { order, flips } = this.epochPlan(epoch);
    const n = this.samplesPerEpoch;
    const window: Promise<SampleTargets>[] = [];
    const first = Math.min(n, fromBatch * this.batchSize);
    let next = first;
    const fill = (): void => {
      while (window.length < this.maxSamplesInMemory && next < n) {
        this.acquire();
        const p = this.source.load(order[next++]!);
        // The rejection is handled where the consumer awaits it; this only silences "unhandled" warnings.
        p.catch(() => undefined);
        window.push(p);
      }
    };
    try {
      fill();
      for (let start = first; start < n; start += this.batchSize) {
        const count = Math.min(this.batchSize, n - start);
        const samples: SampleTargets[] = [];
        for (let k = 0; k < count; k++) samples.push(await window[k]!);
        const sampleFlips = Array.from({ length: count }, (_, k) => flips[start + k] === 1);
        const host = assembleHostBatch(samples, sampleFlips, this.lut);
        samples.length = 0;
        window.splice(0, count);
        this.release(count);
        fill();
        const names = Array.from({ length: count }, (_, k) => this.source.name(order[start + k]!));
        yield hostBatchToTensors(host, names, sampleFlips);
      }
    } finally {
      const pending = window.splice(0);
      await Promise.allSettled(pending);
      this.release(pending.length);
    }
  }

  /** Closes the source. */
  async close(): Promise<void> {
    await this.source.close();
  }

  private acquire(): void {
    this.counters.live++;
    this.counters.loaded++;
    if (this.counters.live > this.counters.peak) this.counters.peak = this.counters.live;
  }

  private release(count: number): void {
    this.counters.live -= count;
  }
}
