/**
 * {@link SampleSource} over a CityScapes-layout dataset: each load decodes the sample's PNGs through the reader
 * and builds its targets at training resolution.
 *
 * @packageDocumentation
 */
import type { CityscapesReader, CityscapesSample } from './cityscapes-reader.js';
import type { SampleSource } from './sample-source.js';
import { buildTargets, type SampleTargets } from './targets.js';
import { assertTargetSize } from './raster-image.js';

/** Decodes PNGs and builds targets on every load. */
export class PngSampleSource implements SampleSource {
  readonly width: number;
  readonly height: number;
  /** The samples, in index order. */
  readonly samples: readonly CityscapesSample[];
  private readonly reader: CityscapesReader;

  /**
   * @param reader - The dataset reader.
   * @param samples - The samples, e.g. from `reader.listSamples('train')`; index order is this order.
   * @param width - Training width.
   * @param height - Training height.
   */
  constructor(reader: CityscapesReader, samples: readonly CityscapesSample[], width: number, height: number) {
    assertTargetSize(width, height, 'PngSampleSource');
    this.reader = reader;
    this.samples = samples;
    this.width = width;
    this.height = height;
  }

  get length(): number {
    return this.samples.length;
  }

  name(index: number): string {
    const s = this.samples[index]!;
    return `${s.split}/${s.city}/${s.name}`;
  }

  /**
   * Decodes sample `index` and builds its targets.
   *
   * @throws `DatasetError` naming the offending file (see `CityscapesReader.readSample`).
   */
  async load(index: number): Promise<SampleTargets> {
    const sample = this.samples[index];
    if (sample === undefined)
      throw new RangeError(`sample index ${index} out of range 0..${this.length - 1}`);
    const decoded = await this.reader.readSample(sample);
    return buildTargets(decoded, this.width, this.height);
  }

  async close(): Promise<void> {
    // Nothing held open: every load opens and closes its own files.
  }
}
