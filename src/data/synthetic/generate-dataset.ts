/**
 * Writes a synthetic dataset to disk in the CityScapes layout (see `dataset-files.ts`).
 *
 * @packageDocumentation
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { throwIfAborted } from '../../errors.js';
import { encodePng } from '../image-codec.js';
import { cameraJson, sampleImages, sampleName, samplePaths } from './dataset-files.js';
import { generateScene, type Scene } from './generate-scene.js';
import { hashSeed, hashString } from './random.js';
import { assertIntegerOption, assertSceneSize, assertSplit, MAX_SCENES, MAX_SEED } from './scene-options.js';

/** What {@link generateDataset} needs. */
export interface DatasetOptions {
  /** Dataset root; created if missing. Existing files of the same names are overwritten. */
  outDir: string;
  /** Number of scenes (1 to 1,000,000). */
  scenes: number;
  /** Image width in pixels (1-2048). */
  width: number;
  /** Image height in pixels (1-2048). */
  height: number;
  /** Dataset seed, an integer from 0 to 2^32 - 1. */
  seed: number;
  /** Split directory, e.g. `train` or `val`. */
  split: string;
  /** Called after each scene is written (for progress output). */
  onScene?: (written: number, total: number) => void;
  /**
   * Stops the generation between two scenes (a job's cancel or shutdown): the scenes in flight are
   * awaited, then it throws. The caller removes what was written.
   */
  signal?: AbortSignal;
}

/** What {@link generateDataset} wrote. */
export interface DatasetResult {
  /** Every file written, relative to `outDir`, `/`-separated, five per scene in scene order. */
  files: string[];
}

/**
 * Scenes being encoded and written while the next one renders. Why 2: rendering is synchronous JavaScript
 * and PNG encoding runs on sharp's threads, so one scene in flight keeps both busy; a second absorbs jitter.
 */
const SCENES_IN_FLIGHT = 2;

/**
 * The seed a split's scenes are generated from: the dataset seed mixed with the split name. Why: `train` and
 * `val` made with the same `--seed` must not contain the same streets.
 */
export function splitSeed(seed: number, split: string): number {
  return hashSeed(seed, hashString(split));
}

/** Encodes and writes one scene; returns the relative paths written. `made` caches created directories. */
async function writeScene(
  outDir: string,
  split: string,
  index: number,
  scene: Scene,
  made: Map<string, Promise<unknown>>,
): Promise<string[]> {
  const name = sampleName(scene.city, index);
  const paths = samplePaths(split, scene.city, name);
  const images = sampleImages(scene);
  const [rgb, labels, instances, disparity] = await Promise.all([
    encodePng(images.leftImg8bit),
    encodePng(images.labelIds),
    encodePng(images.instanceIds),
    encodePng(images.disparity),
  ]);
  const contents: [string, Buffer | string][] = [
    [paths.leftImg8bit, rgb],
    [paths.labelIds, labels],
    [paths.instanceIds, instances],
    [paths.disparity, disparity],
    [paths.camera, cameraJson(scene)],
  ];
  await Promise.all(
    contents.map(async ([file, data]) => {
      const target = path.join(outDir, file);
      const dir = path.dirname(target);
      let making = made.get(dir);
      if (making === undefined) {
        making = mkdir(dir, { recursive: true });
        made.set(dir, making);
      }
      await making;
      await writeFile(target, data);
    }),
  );
  return contents.map(([file]) => file);
}

/**
 * Generates `scenes` scenes and writes them under `outDir` in the CityScapes layout, one city directory per
 * scene style. Scene `i` is `generateScene({ width, height, seed: splitSeed(seed, split), index: i })`, named
 * `{city}_{i:06}_000019`. Same options, same bytes.
 *
 * @returns The files written, relative to `outDir`.
 * @throws {@link ValidationError} naming the first invalid option; {@link TrainingAbortedError} once
 *   `options.signal` fired (checked before each scene, so within one scene's rendering); file-system errors
 *   as they come.
 */
export async function generateDataset(options: DatasetOptions): Promise<DatasetResult> {
  const { outDir, scenes, width, height, seed, split } = options;
  assertIntegerOption('scenes', scenes, 1, MAX_SCENES);
  assertSceneSize(width, height);
  assertIntegerOption('seed', seed, 0, MAX_SEED);
  assertSplit(split);
  const sceneSeedOfSplit = splitSeed(seed, split);
  const written: string[][] = new Array<string[]>(scenes);
  const inFlight = new Map<number, Promise<void>>();
  const made = new Map<string, Promise<unknown>>();
  let done = 0;
  const startScene = (index: number): void => {
    const scene = generateScene({ width, height, seed: sceneSeedOfSplit, index });
    const job = writeScene(outDir, split, index, scene, made).then((files) => {
      written[index] = files;
      inFlight.delete(index);
      done++;
      options.onScene?.(done, scenes);
    });
    // Keep a rejected write from being reported as unhandled before it is awaited below.
    job.catch(() => undefined);
    inFlight.set(index, job);
  };
  const { signal } = options;
  try {
    for (let index = 0; index < scenes; index++) {
      if (inFlight.size >= SCENES_IN_FLIGHT) await Promise.race(inFlight.values());
      // Why a turn of the event loop: rendering is synchronous, so without it an abort that arrives over
      // IPC (in a training child) would wait for the whole dataset.
      if (signal !== undefined) await nextTurn();
      throwIfAborted(signal);
      startScene(index);
    }
  } finally {
    // Nothing is left writing when this returns or throws: the caller may remove the folder at once.
    await Promise.allSettled(inFlight.values());
  }
  await Promise.all(inFlight.values());
  return { files: written.flat() };
}
