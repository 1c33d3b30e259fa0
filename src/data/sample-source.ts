/**
 * The interface the input pipeline draws samples from: a fixed, indexed list of samples whose targets can be
 * loaded at training resolution, one at a time, in any order. Implemented by `PngSampleSource` (decodes the
 * dataset's PNGs and builds targets) and `CachedSampleSource` (reads preprocessed shards).
 *
 * @packageDocumentation
 */
import type { SampleTargets } from './targets.js';

/** An indexed list of samples at one training resolution. */
export interface SampleSource {
  /** Number of samples. */
  readonly length: number;
  /** Training width of every sample. */
  readonly width: number;
  /** Training height of every sample. */
  readonly height: number;
  /** A stable, human-readable name of sample `index` (e.g. `train/aachen/aachen_000000_000019`). */
  name(index: number): string;
  /**
   * Loads the targets of sample `index`. The caller owns the result; nothing else keeps a reference to it, so
   * it is garbage once the caller drops it.
   */
  load(index: number): Promise<SampleTargets>;
  /** Releases open files; the source cannot be used afterwards. */
  close(): Promise<void>;
}
