import type { SceneBatch } from '../../../src/data/batch.js';
import type { BatchSource } from '../../../src/model/batch-source.js';
import { tf } from '../../../src/tf/index.js';
import { randomValues, seededRandom } from '../../helpers/random.js';

/**
 * A small in-memory dataset with learnable structure (targets are functions of the image), served in a
 * seeded order per epoch, for trainer tests that must not depend on the data pipeline.
 */
export function memorySource(options: {
  samples: number;
  batchSize: number;
  height: number;
  width: number;
  classes: number;
  seed: number;
}): BatchSource {
  const { samples, batchSize, height, width, classes, seed } = options;
  const pixels = height * width;
  const images = randomValues(samples * pixels * 3, seed);
  const labels = new Int32Array(samples * pixels);
  const offsets = new Float32Array(samples * pixels * 2);
  const offsetMask = new Float32Array(samples * pixels);
  const disparity = new Float32Array(samples * pixels);
  const disparityMask = new Float32Array(samples * pixels);
  for (let i = 0; i < samples * pixels; i++) {
    const r = images[i * 3]!;
    const g = images[i * 3 + 1]!;
    labels[i] = r > 0.6 ? 255 : Math.min(classes - 1, Math.floor(((g + 1) / 2) * classes));
    offsetMask[i] = r > 0 ? 1 : 0;
    offsets[i * 2] = 4 * r;
    offsets[i * 2 + 1] = -3 * g;
    disparity[i] = 2 + 3 * images[i * 3 + 2]!;
    disparityMask[i] = g > -0.8 ? 1 : 0;
  }
  const stepsPerEpoch = Math.floor(samples / batchSize);
  const batchOf = (indices: number[]): SceneBatch => {
    const pick = (data: Float32Array | Int32Array, perPixel: number) => {
      const out = new (data.constructor as typeof Float32Array)(indices.length * pixels * perPixel);
      indices.forEach((index, j) =>
        out.set(
          data.subarray(index * pixels * perPixel, (index + 1) * pixels * perPixel),
          j * pixels * perPixel,
        ),
      );
      return out;
    };
    const b = indices.length;
    return {
      size: b,
      names: indices.map((index) => `sample-${index}`),
      flipped: indices.map(() => false),
      images: tf.tensor4d(pick(images, 3), [b, height, width, 3]),
      labels: tf.tensor3d(pick(labels, 1), [b, height, width], 'int32'),
      offsets: tf.tensor4d(pick(offsets, 2), [b, height, width, 2]),
      offsetMask: tf.tensor4d(pick(offsetMask, 1), [b, height, width, 1]),
      disparity: tf.tensor4d(pick(disparity, 1), [b, height, width, 1]),
      disparityMask: tf.tensor4d(pick(disparityMask, 1), [b, height, width, 1]),
    };
  };
  return {
    stepsPerEpoch,
    async *train(epoch: number, fromStep: number) {
      const next = seededRandom(seed * 1000 + epoch);
      const order = Array.from({ length: samples }, (_, i) => i).sort(() => next() - 0.5);
      for (let step = fromStep; step < stepsPerEpoch; step++) {
        yield batchOf(order.slice(step * batchSize, (step + 1) * batchSize));
      }
    },
    async *validation() {
      for (let step = 0; step < stepsPerEpoch; step++) {
        yield batchOf(Array.from({ length: batchSize }, (_, i) => step * batchSize + i));
      }
    },
  };
}
