/**
 * The tfjs side of the PyTorch comparison: the network and a fixed batch as the benchmarks use them, and
 * the reference numbers of one training step (outputs, losses, gradients, moving statistics, inference
 * outputs, two Adam updates) that bench/reference/check.py compares the port with.
 *
 * @packageDocumentation
 */
import type {
  LayersModel,
  NamedTensorMap,
  Optimizer,
  Scalar,
  SymbolicTensor,
  Tensor,
  Variable,
} from '@tensorflow/tfjs';
import {
  assembleHostBatch,
  hostBatchToTensors,
  type BatchTargets,
  type SceneBatch,
} from '../../src/data/batch.js';
import { normalisationTable } from '../../src/data/normalisation.js';
import { generateScene, sampleImages } from '../../src/data/synthetic/index.js';
import { buildTargets } from '../../src/data/targets.js';
import { buildNetwork } from '../../src/model/network.js';
import { createOptimizer, resolveOptimizerSpec } from '../../src/model/optimizers.js';
import { taskLosses } from '../../src/model/task-losses.js';
import { TASKS, type PerTask } from '../../src/model/tasks.js';
import { createWeighting } from '../../src/model/weighting/index.js';
import { tf } from '../../src/tf/index.js';
import { TensorBundle } from './tensor-bundle.js';

/** The issue's configuration: width 16, all three heads, CityScapes' 19 train classes. */
export const REFERENCE_WIDTH = 16;
export const REFERENCE_CLASSES = 19;
/** Seed of the initial weights: any fixed one; the same for every runner of a benchmark phase. */
export const REFERENCE_SEED = 1;
/** Dataset seed of the scenes of the fixed batch: any fixed one. */
const SCENE_SEED = 12;
/** The network of the comparison at `inputSize`, seeded. */
export function referenceModel(inputSize: readonly [number, number]): LayersModel {
  return buildNetwork({
    width: REFERENCE_WIDTH,
    inputSize,
    tasks: [...TASKS],
    classes: REFERENCE_CLASSES,
    seed: REFERENCE_SEED,
  });
}

/**
 * A fixed batch of real training data: synthetic street scenes (src/data/synthetic/) with the trainer's
 * targets, unflipped. Why not random tensors: on noise images the gradients of an untrained network are sums
 * of terms of random sign, so one ReLU that rounding puts on the other side of zero moves a whole kernel's
 * gradient by ~1/sqrt(pixels) (~1e-2): the two frameworks would disagree by more than the tolerance for a
 * reason that says nothing about the port. Scenes give coherent gradients, as training has.
 */
export function fixedBatch(
  size: number,
  [height, width]: readonly [number, number],
): SceneBatch & BatchTargets {
  const targets = Array.from({ length: size }, (_, index) => {
    const images = sampleImages(generateScene({ width, height, seed: SCENE_SEED, index }));
    return buildTargets(
      {
        image: images.leftImg8bit,
        labelIds: images.labelIds,
        instanceIds: images.instanceIds,
        disparity: images.disparity,
      },
      width,
      height,
    );
  });
  const flips = new Array<boolean>(size).fill(false);
  const host = assembleHostBatch(targets, flips, normalisationTable());
  return hostBatchToTensors(
    host,
    targets.map((_, i) => `scene-${i}`),
    flips,
  );
}

/** The Adam of the project's training spec ({@link resolveOptimizerSpec} defaults). */
export function projectAdam(): Optimizer {
  return createOptimizer(resolveOptimizerSpec({ name: 'adam' }));
}

/**
 * A bundle with the network's weights (by tfjs' original names, moving statistics included), the batch
 * and the meta the port needs to rebuild the same network and optimiser.
 */
export function networkBundle(
  model: LayersModel,
  batch: SceneBatch & BatchTargets,
  optimizer: Optimizer,
): TensorBundle {
  const count = (weights: LayersModel['weights']) =>
    weights.reduce((sum, w) => sum + w.shape.reduce<number>((a, b) => a * (b ?? 0), 1), 0);
  const [, height, width] = batch.images.shape;
  const bundle = new TensorBundle({
    networkWidth: REFERENCE_WIDTH,
    classes: REFERENCE_CLASSES,
    tasks: [...TASKS],
    inputSize: [height, width],
    batch: batch.size,
    trainableParams: count(model.trainableWeights),
    nonTrainableParams: count(model.nonTrainableWeights),
    gradients: model.trainableWeights.length,
    adam: optimizer.getConfig(),
    tfjs: tf.version.tfjs,
  });
  for (const weight of model.weights) bundle.add(`weights/${weight.originalName}`, weight.read());
  for (const name of ['images', 'labels', 'offsets', 'offsetMask', 'disparity', 'disparityMask'] as const) {
    bundle.add(`batch/${name}`, batch[name]);
  }
  return bundle;
}

/**
 * {@link networkBundle} plus the reference numbers of one training-mode step of the summed losses:
 * `ref/outputs/*`, `ref/loss/*`, `ref/grad/*`, `ref/relu/*` (which units each ReLU kept),
 * `ref/moving/*` (after the step), `ref/inference/*`
 * (`model.predict` with those statistics), and `ref/adam1/*`, `ref/adam2/*`: the weights after Adam
 * applied tfjs' gradients, then their squares.
 */
export function referenceBundle(inputSize: readonly [number, number], batchSize: number): TensorBundle {
  const model = referenceModel(inputSize);
  const batch = fixedBatch(batchSize, inputSize);
  const optimizer = projectAdam();
  const strategy = createWeighting({ strategy: 'equal' }, TASKS);
  const kept: Tensor[] = [];
  try {
    const bundle = networkBundle(model, batch, optimizer);
    const variables = model.trainableWeights.map((w) => w.read() as Variable);
    // The same layers with every ReLU's output as an extra output: the port replays tfjs' ReLU decisions.
    const relus = model.layers.filter((layer) => layer.getClassName() === 'ReLU');
    const probe = tf.model({
      inputs: model.inputs,
      outputs: [...model.outputs, ...relus.map((layer) => layer.output as SymbolicTensor)],
    });
    let outputs: Tensor[] = [];
    let activations: Tensor[] = [];
    let losses: PerTask<Scalar> = {};
    const { value, grads } = tf.variableGrads(() => {
      const all = probe.apply(batch.images, { training: true }) as Tensor[];
      outputs = all.slice(0, TASKS.length);
      activations = all.slice(TASKS.length);
      losses = taskLosses(outputs, TASKS, batch);
      kept.push(...all.map((o) => tf.keep(o)), ...Object.values(losses).map((l) => tf.keep(l)));
      return strategy.combine(losses);
    }, variables);
    kept.push(value, ...Object.values(grads));
    TASKS.forEach((task, i) => {
      bundle.add(`ref/outputs/${task}`, outputs[i]!);
      bundle.add(`ref/loss/${task}`, losses[task]!);
    });
    bundle.add('ref/loss/total', value);
    relus.forEach((layer, i) => {
      const kept = tf.greater(activations[i]!, 0);
      bundle.add(`ref/relu/${layer.name}`, kept);
      kept.dispose();
    });
    model.trainableWeights.forEach((w, i) =>
      bundle.add(`ref/grad/${w.originalName}`, grads[variables[i]!.name]!),
    );
    for (const w of model.nonTrainableWeights) bundle.add(`ref/moving/${w.originalName}`, w.read());
    const inferred = model.predict(batch.images) as Tensor[];
    kept.push(...inferred);
    TASKS.forEach((task, i) => bundle.add(`ref/inference/${task}`, inferred[i]!));
    const squares: NamedTensorMap = tf.tidy(() =>
      Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, tf.square(g)])),
    );
    kept.push(...Object.values(squares));
    for (const [step, gradients] of [
      [1, grads],
      [2, squares],
    ] as const) {
      optimizer.applyGradients(gradients);
      for (const w of model.trainableWeights) bundle.add(`ref/adam${step}/${w.originalName}`, w.read());
    }
    return bundle;
  } finally {
    tf.dispose(kept);
    tf.dispose(Object.values(batch).filter((v): v is Tensor => v instanceof tf.Tensor));
    optimizer.dispose();
    model.dispose();
  }
}
