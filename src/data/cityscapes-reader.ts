/**
 * Reader for datasets in CityScapes layout under `DATA_DIR` (see DESIGN.md, "Data"):
 *
 * ```
 * {root}/leftImg8bit/{split}/{city}/{name}_leftImg8bit.png          8-bit RGB(A)
 * {root}/gtFine/{split}/{city}/{name}_gtFine_labelIds.png           8-bit grey, CityScapes label ids
 * {root}/gtFine/{split}/{city}/{name}_gtFine_instanceIds.png        16-bit grey, labelId*1000+index for things
 * {root}/disparity/{split}/{city}/{name}_disparity.png              16-bit grey, d = (p-1)/256, p = 0 invalid
 * {root}/camera/{split}/{city}/{name}_camera.json                   baseline, fx, fy, u0, v0
 * ```
 *
 * Real CityScapes works unchanged (other files such as `_gtFine_color.png` or `_polygons.json` are ignored).
 * Every problem is a {@link DatasetError} whose `file` is the offending file relative to `DATA_DIR`.
 *
 * ```ts
 * const reader = await CityscapesReader.open(config.DATA_DIR, 'cityscapes');
 * const samples = await reader.listSamples('train');
 * await reader.checkSamples(samples);            // headers only: sizes, bit depths, camera files
 * const decoded = await reader.readSample(samples[0]);
 * ```
 *
 * @packageDocumentation
 */
import { readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import { DatasetError } from '../errors.js';
import { parseCameraJson, type CameraParameters } from './camera.js';
import {
  ALL_PARTNERS,
  CITYSCAPES_LAYOUT,
  cityscapesFile,
  cityscapesFolder,
  PARTNER_NOUN,
  type PartnerKind,
} from './cityscapes-layout.js';
import { asDatasetError, checkImageFormat, dropAlpha, type ImageFormat } from './cityscapes-file-checks.js';
import { resolveDataPath, type DataPath } from './data-path.js';
import { DataDirectory } from './data-directory.js';
import { decodeImage, readImageHeader, type RasterImage } from './image-codec.js';

export { ALL_PARTNERS, type PartnerKind } from './cityscapes-layout.js';

/**
 * Files read at once by {@link CityscapesReader.checkSamples}. Why 16: header reads are tiny and mostly wait
 * on the disk; more in flight hides latency without holding much memory.
 */
const DEFAULT_CHECK_CONCURRENCY = 16;

/** One sample: an image and its partner files, all relative to `DATA_DIR` with `/` separators. */
export interface CityscapesSample {
  split: string;
  city: string;
  /** The common stem, e.g. `aachen_000000_000019`. */
  name: string;
  files: {
    image: string;
    labelIds?: string;
    instanceIds?: string;
    disparity?: string;
    camera?: string;
  };
}

/** A sample with every present file decoded and checked. */
export interface DecodedSample {
  sample: CityscapesSample;
  /** 8-bit RGB (an alpha channel is dropped). */
  image: RasterImage;
  /** 1-channel 8-bit label ids. */
  labelIds?: RasterImage;
  /** 1-channel 16-bit instance ids. */
  instanceIds?: RasterImage;
  /** 1-channel 16-bit encoded disparity. */
  disparity?: RasterImage;
  camera?: CameraParameters;
}

/** Options of {@link CityscapesReader.open}. */
export interface CityscapesReaderOptions {
  /**
   * Partners every image must have; a missing one is a {@link DatasetError}. Partners not listed are paired
   * when present and left out otherwise. Default: all of {@link ALL_PARTNERS}.
   */
  require?: readonly PartnerKind[];
}

/** Reads CityScapes-layout datasets; see the module documentation. */
export class CityscapesReader {
  /** `DATA_DIR`, as given to {@link CityscapesReader.open}. */
  readonly dataDir: string;
  /** The dataset root. */
  readonly root: DataPath;
  /** The partners every image must have. */
  readonly required: ReadonlySet<PartnerKind>;
  /** Lists folders inside `DATA_DIR` without following a symlink out of it. */
  private readonly directory: DataDirectory;

  private constructor(dataDir: string, root: DataPath, required: readonly PartnerKind[]) {
    this.dataDir = dataDir;
    this.root = root;
    this.required = new Set(required);
    this.directory = new DataDirectory(dataDir);
  }

  /**
   * Opens the dataset at `datasetPath` inside `dataDir`.
   *
   * @param dataDir - `DATA_DIR`.
   * @param datasetPath - The dataset root relative to `DATA_DIR` (e.g. `cityscapes`).
   * @param options - Which partner files are required.
   * @throws {@link DatasetError} when the path is outside `DATA_DIR` (absolute, `..`, or a symlink out), does
   *   not exist, or has no `leftImg8bit/` folder.
   */
  static async open(
    dataDir: string,
    datasetPath: string,
    options: CityscapesReaderOptions = {},
  ): Promise<CityscapesReader> {
    const root = await resolveDataPath(dataDir, datasetPath);
    const reader = new CityscapesReader(dataDir, root, options.require ?? ALL_PARTNERS);
    const images = reader.rel(CITYSCAPES_LAYOUT.image.folder);
    if ((await reader.directory.entryKind(images)) !== 'dir') {
      throw new DatasetError(
        `not a CityScapes-layout dataset: ${CITYSCAPES_LAYOUT.image.folder}/ is missing`,
        images,
      );
    }
    return reader;
  }

  /** Absolute path on disk of a path relative to `DATA_DIR` (as found in {@link CityscapesSample.files}). */
  absolutePath(relativeToDataDir: string): string {
    return this.directory.absolutePath(relativeToDataDir);
  }

  /** Splits present (folders of `leftImg8bit/`), sorted. */
  async listSplits(): Promise<string[]> {
    return this.directory.listDir(this.rel(CITYSCAPES_LAYOUT.image.folder), 'dir', true);
  }

  /**
   * Cities of a split (folders of `leftImg8bit/{split}/`), sorted.
   *
   * @throws {@link DatasetError} naming `leftImg8bit/{split}` when the split does not exist.
   */
  async listCities(split: string): Promise<string[]> {
    const dir = this.rel(cityscapesFolder('image', split));
    if ((await this.directory.entryKind(dir)) !== 'dir') {
      throw new DatasetError(`split "${split}" does not exist`, dir);
    }
    return this.directory.listDir(dir, 'dir', true);
  }

  /**
   * Lists the samples of a split, sorted by city then name, with every partner file paired.
   *
   * @param split - e.g. `train`, `val`.
   * @param options - `cities`: only these cities (default: all).
   * @throws {@link DatasetError} naming the file: a required partner missing (the missing file is named), a
   *   partner without an image, a symlink out of `DATA_DIR`, a split that does not exist or holds no images.
   */
  async listSamples(
    split: string,
    options: { cities?: readonly string[] } = {},
  ): Promise<CityscapesSample[]> {
    const cities = options.cities ?? (await this.listCities(split));
    const samples: CityscapesSample[] = [];
    for (const city of cities) {
      const imageDir = this.rel(cityscapesFolder('image', split, city));
      const imageNames = await this.directory.stems(imageDir, CITYSCAPES_LAYOUT.image.suffix, true);
      const imageSet = new Set(imageNames);
      const partnerStems = new Map<PartnerKind, Set<string>>();
      for (const kind of ALL_PARTNERS) {
        const dir = this.rel(cityscapesFolder(kind, split, city));
        const stems = await this.directory.stems(dir, CITYSCAPES_LAYOUT[kind].suffix, false);
        for (const stem of stems) {
          if (!imageSet.has(stem)) {
            throw new DatasetError(
              `${PARTNER_NOUN[kind]} has no image (expected ${this.rel(cityscapesFile('image', split, city, stem))})`,
              this.rel(cityscapesFile(kind, split, city, stem)),
            );
          }
        }
        partnerStems.set(kind, new Set(stems));
      }
      for (const name of imageNames) {
        const image = this.rel(cityscapesFile('image', split, city, name));
        const files: CityscapesSample['files'] = { image };
        for (const kind of ALL_PARTNERS) {
          const file = this.rel(cityscapesFile(kind, split, city, name));
          if (partnerStems.get(kind)!.has(name)) files[kind] = file;
          else if (this.required.has(kind)) {
            throw new DatasetError(`missing partner of ${image}: ${PARTNER_NOUN[kind]} not found`, file);
          }
        }
        samples.push({ split, city, name, files });
      }
    }
    if (samples.length === 0) {
      throw new DatasetError(
        `split "${split}" holds no *${CITYSCAPES_LAYOUT.image.suffix} images`,
        this.rel(cityscapesFolder('image', split)),
      );
    }
    return samples;
  }

  /**
   * Checks a sample from its headers only (no pixel decoding): every image readable, the image 8-bit RGB(A),
   * label ids 1-channel 8-bit, instance ids and disparity 1-channel 16-bit, all the image's size, and the
   * camera file valid.
   *
   * @returns The image size.
   * @throws {@link DatasetError} naming the offending file.
   */
  async checkSample(sample: CityscapesSample): Promise<{ width: number; height: number }> {
    const image = await this.header(sample.files.image);
    checkImageFormat('image', image, image, sample.files.image, sample.files.image);
    for (const kind of ['labelIds', 'instanceIds', 'disparity'] as const) {
      const file = sample.files[kind];
      if (file === undefined) continue;
      checkImageFormat(kind, await this.header(file), image, file, sample.files.image);
    }
    if (sample.files.camera !== undefined) await this.readCamera(sample.files.camera);
    return { width: image.width, height: image.height };
  }

  /**
   * {@link checkSample} for many samples, a few at a time; rejects with the first problem in sample order.
   *
   * @param samples - From {@link listSamples}.
   * @param concurrency - Samples checked at once.
   */
  async checkSamples(
    samples: readonly CityscapesSample[],
    concurrency = DEFAULT_CHECK_CONCURRENCY,
  ): Promise<void> {
    const results: Promise<unknown>[] = [];
    let next = 0;
    const errors: (unknown | undefined)[] = new Array(samples.length);
    const worker = async (): Promise<void> => {
      while (next < samples.length) {
        const i = next++;
        try {
          await this.checkSample(samples[i]!);
        } catch (error) {
          errors[i] = error;
        }
      }
    };
    for (let w = 0; w < Math.max(1, concurrency); w++) results.push(worker());
    await Promise.all(results);
    const first = errors.find((e) => e !== undefined);
    if (first !== undefined) throw first;
  }

  /**
   * Decodes every file of a sample and checks the decoded rasters as {@link checkSample} checks headers.
   *
   * @returns The decoded sample; the image is 3-channel RGB.
   * @throws {@link DatasetError} naming the offending file (unreadable or corrupt image, wrong bit depth or
   *   channels, size mismatch, bad camera file).
   */
  async readSample(sample: CityscapesSample): Promise<DecodedSample> {
    const { files } = sample;
    const [image, labelIds, instanceIds, disparity, camera] = await Promise.all([
      this.decode(files.image),
      files.labelIds === undefined ? undefined : this.decode(files.labelIds),
      files.instanceIds === undefined ? undefined : this.decode(files.instanceIds),
      files.disparity === undefined ? undefined : this.decode(files.disparity),
      files.camera === undefined ? undefined : this.readCamera(files.camera),
    ]);
    checkImageFormat('image', image, image, files.image, files.image);
    const out: DecodedSample = { sample, image: image.channels === 4 ? dropAlpha(image) : image };
    if (labelIds !== undefined) {
      checkImageFormat('labelIds', labelIds, image, files.labelIds!, files.image);
      out.labelIds = labelIds;
    }
    if (instanceIds !== undefined) {
      checkImageFormat('instanceIds', instanceIds, image, files.instanceIds!, files.image);
      out.instanceIds = instanceIds;
    }
    if (disparity !== undefined) {
      checkImageFormat('disparity', disparity, image, files.disparity!, files.image);
      out.disparity = disparity;
    }
    if (camera !== undefined) out.camera = camera;
    return out;
  }

  /** Reads and parses a camera file. */
  private async readCamera(file: string): Promise<CameraParameters> {
    let text: string;
    try {
      text = await readFile(this.absolutePath(file), 'utf8');
    } catch (error) {
      throw new DatasetError(
        `cannot read camera file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        file,
        {
          cause: error,
        },
      );
    }
    return parseCameraJson(text, file);
  }

  private async header(file: string): Promise<ImageFormat> {
    try {
      return await readImageHeader(this.absolutePath(file));
    } catch (error) {
      throw asDatasetError(error, file);
    }
  }

  private async decode(file: string): Promise<RasterImage> {
    try {
      return await decodeImage(this.absolutePath(file));
    } catch (error) {
      throw asDatasetError(error, file);
    }
  }

  /** Path relative to `DATA_DIR` of `parts` below the dataset root. */
  private rel(...parts: string[]): string {
    return posix.join(this.root.relative, ...parts);
  }
}
