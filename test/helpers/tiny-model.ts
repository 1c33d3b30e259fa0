import sharp from 'sharp';
import { IMAGE_NORMALISATION } from '../../src/data/index.js';
import { MANIFEST_VERSION, saveModel, type ModelManifest } from '../../src/model/artifacts.js';
import { manifestClasses } from '../../src/model/model-manifest.js';
import { buildNetwork } from '../../src/model/network.js';
import { TASKS, type Task } from '../../src/model/tasks.js';
import { tf } from '../../src/tf/index.js';
import { seededRandom } from './random.js';

/** A complete manifest for an untrained model of `tasks` at 32x64: what the prediction plumbing reads. */
export function tinyModelManifest(id: string, tasks: Task[] = [...TASKS]): ModelManifest {
  return {
    version: MANIFEST_VERSION,
    id,
    createdAt: new Date().toISOString(),
    tasks,
    classes: manifestClasses(),
    inputSize: [32, 64],
    normalisation: { mean: [...IMAGE_NORMALISATION.mean], std: [...IMAGE_NORMALISATION.std] },
    weighting: { strategy: 'equal', weights: {} },
    metrics: {},
    history: [],
    training: {},
    camera: { fx: 35, baseline: 0.209 },
    backend: {
      name: 'wasm',
      package: '@tensorflow/tfjs-backend-wasm',
      gpu: false,
      tfjsVersion: tf.version.tfjs,
    },
  };
}

/**
 * Saves an untrained (seeded) model with a complete manifest under `ARTIFACT_DIR/models/{id}`: what the
 * prediction plumbing needs, in a fraction of a second instead of a training run.
 */
export async function saveTinyModel(
  artifactDir: string,
  id: string,
  tasks: Task[] = [...TASKS],
): Promise<void> {
  const model = buildNetwork({ width: 4, inputSize: [32, 64], tasks, classes: 19, seed: 3 });
  await saveModel(artifactDir, model, tinyModelManifest(id, tasks));
  model.dispose();
}

/** A random RGB image of the given size, encoded as PNG or JPEG by sharp. */
export async function randomImage(width: number, height: number, format: 'png' | 'jpeg'): Promise<Buffer> {
  const next = seededRandom(width * 31 + height);
  const data = Buffer.from(Array.from({ length: width * height * 3 }, () => Math.floor(next() * 256)));
  const image = sharp(data, { raw: { width, height, channels: 3 } });
  return format === 'png' ? image.png().toBuffer() : image.jpeg().toBuffer();
}
