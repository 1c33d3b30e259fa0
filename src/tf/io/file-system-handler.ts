/**
 * Save and load tfjs layers models to and from a directory, with nothing but `node:fs/promises`.
 *
 * `@tensorflow/tfjs-node` ships a `file://` handler, but it is an optional native dependency that is absent
 * on the wasm and cpu backends; this handler works on every backend and writes the same tfjs layers format
 * (`model.json` + `weights.bin`) that tfjs loads in Node and in browsers.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { tf } from '../tfjs.js';

/** Why fixed: tfjs loaders (`tf.loadLayersModel('…/model.json')`) and the model store expect this name. */
export const MODEL_JSON_FILE = 'model.json';

/** Why one file: models here are small (a few MB), so one shard keeps the store simple to copy and check. */
export const WEIGHTS_FILE = 'weights.bin';

/**
 * Bytes per stored element for each weight dtype. Why: lets `load` check a shard's size against the specs
 * before tfjs decodes it, so a truncated file gives an error naming it rather than garbage weights.
 */
const DTYPE_BYTES: Readonly<Record<string, number>> = {
  float32: 4,
  int32: 4,
  bool: 1,
  complex64: 8,
};

/** Bytes per stored element for quantized weights. Why: quantized specs store a narrower dtype on disk. */
const QUANTIZED_DTYPE_BYTES: Readonly<Record<string, number>> = {
  uint8: 1,
  uint16: 2,
  float16: 2,
};

type ModelJSON = tf.io.ModelJSON;
type WeightsManifestEntry = tf.io.WeightsManifestEntry;
type WeightsManifestConfig = tf.io.WeightsManifestConfig;

/** Byte size of one weight as stored, or undefined when it cannot be known without decoding (strings). */
function storedByteSize(spec: WeightsManifestEntry): number | undefined {
  const elements = spec.shape.reduce((a, b) => a * b, 1);
  const perElement =
    spec.quantization !== undefined
      ? QUANTIZED_DTYPE_BYTES[spec.quantization.dtype]
      : DTYPE_BYTES[spec.dtype];
  return perElement === undefined ? undefined : elements * perElement;
}

function isErrno(err: unknown, code: string): boolean {
  return err instanceof Error && (err as NodeJS.ErrnoException).code === code;
}

/** A temp name in the target's own directory, so that `rename` onto the target is atomic (same filesystem). */
function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Writes chunks to a new file and fsyncs it, so that the data is on disk before it is renamed into place. */
async function writeDurably(path: string, chunks: readonly Uint8Array[]): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    for (const chunk of chunks) {
      let offset = 0;
      while (offset < chunk.byteLength) {
        const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
        offset += bytesWritten;
      }
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes completed renames in `dir` durable; some platforms cannot fsync a directory, which is harmless. */
async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Not supported here (e.g. Windows): the renames are still atomic, only their durability is weaker.
  } finally {
    await handle?.close();
  }
}

/** Resolves a shard path from the manifest against `dir`, refusing anything that points outside it. */
function resolveShard(dir: string, shardPath: string, modelJsonPath: string): string {
  const root = resolve(dir);
  const full = resolve(root, shardPath);
  const rel = relative(root, full);
  if (isAbsolute(shardPath) || rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new Error(
      `Weights path "${shardPath}" in ${modelJsonPath} must be a file path relative to and inside ${root}`,
    );
  }
  return full;
}

/** Checks the parsed model.json has the shape of a tfjs layers model with a weights manifest. */
function validateModelJson(value: unknown, modelJsonPath: string): ModelJSON {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${modelJsonPath} must contain a JSON object`);
  }
  const json = value as Partial<ModelJSON>;
  if (typeof json.modelTopology !== 'object' || json.modelTopology === null) {
    throw new Error(`${modelJsonPath} has no "modelTopology" object; is it a tfjs layers model?`);
  }
  if (!Array.isArray(json.weightsManifest)) {
    throw new Error(`${modelJsonPath} has no "weightsManifest" array`);
  }
  json.weightsManifest.forEach((group: unknown, i) => {
    const g = group as Partial<WeightsManifestConfig[number]> | null;
    if (
      typeof g !== 'object' ||
      g === null ||
      !Array.isArray(g.paths) ||
      !g.paths.every((p) => typeof p === 'string') ||
      !Array.isArray(g.weights)
    ) {
      throw new Error(
        `${modelJsonPath}: weightsManifest[${i}] must have "paths" (array of strings) and "weights" (array)`,
      );
    }
  });
  return json as ModelJSON;
}

/**
 * Reads every shard of every manifest group, in order, checks each exists and that each group's bytes match
 * its weight specs, and returns the specs with the concatenated weight data.
 */
async function readWeights(
  dir: string,
  modelJsonPath: string,
  manifest: WeightsManifestConfig,
): Promise<[WeightsManifestEntry[], ArrayBuffer]> {
  const specs: WeightsManifestEntry[] = [];
  const buffers: Buffer[] = [];
  for (const group of manifest) {
    const sizes: string[] = [];
    let actual = 0;
    for (const shardPath of group.paths) {
      const full = resolveShard(dir, shardPath, modelJsonPath);
      let data: Buffer;
      try {
        data = await readFile(full);
      } catch (err) {
        if (isErrno(err, 'ENOENT')) {
          throw new Error(`Weights file "${shardPath}" listed in ${modelJsonPath} is missing (${full})`, {
            cause: err,
          });
        }
        throw new Error(`Cannot read weights file "${shardPath}" (${full}): ${(err as Error).message}`, {
          cause: err,
        });
      }
      buffers.push(data);
      actual += data.byteLength;
      sizes.push(`"${shardPath}" ${data.byteLength} bytes`);
    }

    const sizesPerSpec = group.weights.map(storedByteSize);
    if (sizesPerSpec.every((n): n is number => n !== undefined)) {
      const expected = sizesPerSpec.reduce((a, b) => a + b, 0);
      if (actual !== expected) {
        const what = actual < expected ? 'too short' : 'too long';
        const files = group.paths.length === 1 ? `Weights file "${group.paths[0]}"` : `Weights files`;
        throw new Error(
          `${files} in ${dir} ${group.paths.length === 1 ? 'is' : 'are'} ${what}: ` +
            `the specs in ${modelJsonPath} need ${expected} bytes, found ${actual} (${sizes.join(', ')})`,
        );
      }
    }
    specs.push(...group.weights);
  }

  const total = buffers.reduce((n, b) => n + b.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    out.set(b, offset);
    offset += b.byteLength;
  }
  return [specs, out.buffer];
}

/**
 * Creates a tfjs IOHandler that saves a layers model to, and loads it from, the directory `dir`.
 *
 * - `save` creates `dir` if needed and writes `model.json` (modelTopology, format, generatedBy, convertedBy,
 *   `weightsManifest: [{ paths: ['weights.bin'], weights }]`, plus trainingConfig, userDefinedMetadata,
 *   signature and initializer fields when present) and `weights.bin`. Both are written to temporary files
 *   in `dir`, fsynced, then renamed into place, weights first and `model.json` last: a crash never leaves a
 *   half-written file, and a directory with a `model.json` always has its weights. (Overwriting an existing
 *   model replaces the two files one after the other; `load` detects a size mismatch between them.)
 * - `load` reads `model.json`, then every path of every `weightsManifest` group relative to `dir`, in
 *   order, and concatenates them. It throws an Error naming the file when a shard is missing, lies outside
 *   `dir`, or holds a different number of bytes than its weight specs need.
 *
 * @param dir Directory holding (or to hold) `model.json` and `weights.bin`.
 * @returns An IOHandler for `model.save(handler)` and `tf.loadLayersModel(handler)`.
 * @example
 * ```ts
 * await model.save(fileSystemHandler('/artifacts/models/m1'));
 * const same = await tf.loadLayersModel(fileSystemHandler('/artifacts/models/m1'));
 * ```
 */
export function fileSystemHandler(dir: string): tf.io.IOHandler {
  const modelJsonPath = join(dir, MODEL_JSON_FILE);
  const weightsPath = join(dir, WEIGHTS_FILE);

  const save = async (artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> => {
    if (artifacts.modelTopology instanceof ArrayBuffer) {
      throw new Error('fileSystemHandler saves layers models only; got a binary (GraphDef) model topology');
    }
    if (artifacts.modelTopology === undefined || artifacts.modelTopology === null) {
      throw new Error('fileSystemHandler: the model artifacts have no modelTopology to save');
    }

    const weightSpecs = artifacts.weightSpecs ?? [];
    const modelJson: ModelJSON = {
      modelTopology: artifacts.modelTopology,
      format: artifacts.format,
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy,
      weightsManifest: [{ paths: [WEIGHTS_FILE], weights: weightSpecs }],
    };
    if (artifacts.trainingConfig != null) modelJson.trainingConfig = artifacts.trainingConfig;
    if (artifacts.userDefinedMetadata != null) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
    if (artifacts.signature != null) modelJson.signature = artifacts.signature;
    if (artifacts.modelInitializer != null) modelJson.modelInitializer = artifacts.modelInitializer;
    if (artifacts.initializerSignature != null)
      modelJson.initializerSignature = artifacts.initializerSignature;

    const weightData = artifacts.weightData;
    const weightChunks = (
      weightData === undefined ? [] : Array.isArray(weightData) ? weightData : [weightData]
    ).map((b) => new Uint8Array(b));

    await mkdir(dir, { recursive: true });
    const weightsTemp = tempPathFor(weightsPath);
    const modelJsonTemp = tempPathFor(modelJsonPath);
    try {
      await writeDurably(weightsTemp, weightChunks);
      await writeDurably(modelJsonTemp, [Buffer.from(JSON.stringify(modelJson), 'utf8')]);
      await rename(weightsTemp, weightsPath);
      await rename(modelJsonTemp, modelJsonPath);
    } catch (err) {
      await Promise.all([weightsTemp, modelJsonTemp].map((p) => unlink(p).catch(() => undefined)));
      throw err;
    }
    await syncDirectory(dir);

    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
  };

  const load = async (): Promise<tf.io.ModelArtifacts> => {
    let text: string;
    try {
      text = await readFile(modelJsonPath, 'utf8');
    } catch (err) {
      if (isErrno(err, 'ENOENT')) {
        throw new Error(`Model file ${modelJsonPath} is missing`, { cause: err });
      }
      throw new Error(`Cannot read ${modelJsonPath}: ${(err as Error).message}`, { cause: err });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new Error(`${modelJsonPath} is not valid JSON: ${(err as Error).message}`, { cause: err });
    }
    const modelJson = validateModelJson(parsed, modelJsonPath);
    return tf.io.getModelArtifactsForJSON(modelJson, (manifest) => readWeights(dir, modelJsonPath, manifest));
  };

  return { save, load };
}
