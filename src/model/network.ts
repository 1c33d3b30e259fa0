import type { layers, LayersModel, SymbolicTensor } from '@tensorflow/tfjs';
import { ValidationError } from '../errors.js';
import { atrousConv2d, fusedBatchNormalization, reLUAfterBatchNorm, tf } from '../tf/index.js';
import { canonicalTasks, headChannels, type Task, TASKS } from './tasks.js';

/** Default network width (channels of the stem): small enough to train on a 2-core CPU. */
export const DEFAULT_WIDTH = 16;
/** Default training resolution [height, width]: the paper's "Tiny CityScapes" 128x256. */
export const DEFAULT_INPUT_SIZE: readonly [number, number] = [128, 256];
/** Downsampling of the encoder: three stride-2 stages, as DeepLabV3's output stride 8. */
export const OUTPUT_STRIDE = 8;
/** Dilation rates of the context block; at output stride 8, 64x128 inputs give 8x16 features, so <= 4. */
export const ASPP_RATES: readonly number[] = [2, 4];
/** Input sizes must be multiples of this: the output stride times the largest ASPP rate (space-to-batch). */
export const INPUT_SIZE_MULTIPLE = OUTPUT_STRIDE * Math.max(...ASPP_RATES);
/** Width limits: 4 is the least that still learns; 128 is beyond what a CPU trains in reasonable time. */
export const MIN_WIDTH = 4;
export const MAX_WIDTH = 128;
/** Input sizes from 32 to 1024 px per side (bigger ones do not fit a CPU worker's memory at batch 8). */
export const MIN_INPUT_SIDE = 32;
export const MAX_INPUT_SIDE = 1024;
/** Batch-norm momentum: 0.9 rather than Keras' 0.99 so running statistics settle within short CPU runs. */
const BN_MOMENTUM = 0.9;
/** Name of the context block (ASPP): the last block that every task head shares. */
const CONTEXT_BLOCK = 'aspp';
/** The conv-bn-relu unit whose 1/4-resolution features every task decoder fuses (its skip connection). */
const LOW_LEVEL_UNIT = 'stage2_conv';

/** What {@link buildNetwork} needs. */
export interface NetworkOptions {
  /** Channels of the stem; later stages use multiples of it. */
  width: number;
  /** Training resolution [height, width]. */
  inputSize: readonly [number, number];
  /** Non-empty subset of the tasks; the model has one output per task, in {@link TASKS} order. */
  tasks: readonly Task[];
  /** Number of segmentation classes (19 for CityScapes train ids). */
  classes: number;
  /** Seed of the weight initialisation: the same seed builds the same initial weights. Default 0. */
  seed?: number;
}

/**
 * Checks {@link NetworkOptions}, naming the offending field.
 *
 * @throws ValidationError when a field is out of range.
 */
export function validateNetworkOptions(options: NetworkOptions): void {
  const { width, inputSize, tasks, classes } = options;
  if (!Number.isInteger(width) || width < MIN_WIDTH || width > MAX_WIDTH) {
    throw new ValidationError(
      `model.width must be an integer from ${MIN_WIDTH} to ${MAX_WIDTH}, got ${width}`,
    );
  }
  inputSize.forEach((side, i) => {
    if (
      !Number.isInteger(side) ||
      side < MIN_INPUT_SIDE ||
      side > MAX_INPUT_SIDE ||
      side % INPUT_SIZE_MULTIPLE !== 0
    ) {
      throw new ValidationError(
        `model.inputSize[${i}] must be a multiple of ${INPUT_SIZE_MULTIPLE} from ${MIN_INPUT_SIDE} to ${MAX_INPUT_SIDE}, got ${side}`,
      );
    }
  });
  if (
    tasks.length === 0 ||
    tasks.some((task) => !TASKS.includes(task)) ||
    new Set(tasks).size !== tasks.length
  ) {
    throw new ValidationError(`tasks must be a non-empty list of distinct tasks from ${TASKS.join(', ')}`);
  }
  if (!Number.isInteger(classes) || classes < 2 || classes > 255) {
    throw new ValidationError(`classes must be an integer from 2 to 255, got ${classes}`);
  }
}

/**
 * Builds the multi-task network: a shared encoder and one light decoder per task, in tfjs layers so that
 * it serialises to model.json + weights.bin and loads with `tf.loadLayersModel` in Node or a browser.
 *
 * Encoder (DeepLabV3 in spirit, sized by `width` w): stride-2 conv stages to 1/2 (w), 1/4 (2w) and 1/8 (4w),
 * a dilated residual block at 1/8, and an ASPP context block (1x1, dilated 3x3 at {@link ASPP_RATES},
 * image pooling) projected to 4w. Each decoder upsamples the context 2x, fuses it with the 1/4 features,
 * refines with a 3x3 conv and predicts its channels, bilinearly upsampled to input resolution:
 * segmentation logits (classes), instance offsets (dx, dy px) or disparity (px).
 */
export function buildNetwork(options: NetworkOptions): LayersModel {
  validateNetworkOptions(options);
  const { width: w, inputSize, classes } = options;
  const tasks = canonicalTasks(options.tasks);
  const [height, imageWidth] = inputSize;
  const image = tf.input({ shape: [height, imageWidth, 3], name: 'image' });
  const init = seededInitializers(options.seed ?? 0);

  const stem = convBnRelu(image, { name: 'stem', filters: w, strides: 2 }, init);
  let x = convBnRelu(stem, { name: 'stage2_down', filters: 2 * w, strides: 2 }, init);
  const lowLevel = convBnRelu(x, { name: LOW_LEVEL_UNIT, filters: 2 * w }, init);
  x = convBnRelu(lowLevel, { name: 'stage3_down', filters: 4 * w, strides: 2 }, init);
  x = dilatedResidualBlock(x, { name: 'stage4', filters: 4 * w, rate: 2 }, init);
  const context = aspp(
    x,
    {
      name: CONTEXT_BLOCK,
      filters: 4 * w,
      featureSize: [height / OUTPUT_STRIDE, imageWidth / OUTPUT_STRIDE],
    },
    init,
  );

  const outputs = tasks.map((task) =>
    taskDecoder(context, lowLevel, { task, width: w, channels: headChannels(task, classes) }, init),
  );
  return tf.model({ inputs: image, outputs, name: `scene_mtl_${tasks.join('_')}` });
}

/**
 * The last layer that every task head shares: the 1x1 projection conv that ends the context block. GradNorm
 * balances the tasks' gradient norms at its kernel.
 *
 * @param model - A network from {@link buildNetwork} (or loaded from one).
 */
export function lastSharedLayer(model: LayersModel): layers.Layer {
  return model.getLayer(convLayerName(asppProjectionName(CONTEXT_BLOCK)));
}

/**
 * Names of the layers whose outputs are all the task decoders read of the shared trunk: the context
 * block's projection (1/8 resolution) and the low-level features (1/4). The trunk and each head can then
 * run as separate graphs (network-split.ts).
 */
export const TRUNK_OUTPUT_LAYERS: readonly [string, string] = [
  reluLayerName(asppProjectionName(CONTEXT_BLOCK)),
  reluLayerName(LOW_LEVEL_UNIT),
];

/** Name of the conv layer of the conv-bn-relu unit `unit` (see {@link convBnRelu}). */
function convLayerName(unit: string): string {
  return `${unit}_conv`;
}

/** Name of the ReLU layer that ends the (conv-)bn-relu unit `unit` (see {@link bnRelu}). */
function reluLayerName(unit: string): string {
  return `${unit}_relu`;
}

/** Name of the 1x1 projection unit that ends the ASPP block `block` (see {@link aspp}). */
function asppProjectionName(block: string): string {
  return `${block}_project`;
}

/** Kernel initialisers, each seeded differently but deterministically, so a seed fixes the initial weights. */
interface SeededInitializers {
  he(): ReturnType<typeof tf.initializers.heNormal>;
  glorot(): ReturnType<typeof tf.initializers.glorotUniform>;
}

function seededInitializers(seed: number): SeededInitializers {
  let next = seed * 1000;
  return {
    he: () => tf.initializers.heNormal({ seed: next++ }),
    glorot: () => tf.initializers.glorotUniform({ seed: next++ }),
  };
}

interface ConvOptions {
  name: string;
  filters: number;
  kernelSize?: number;
  strides?: number;
}

function apply(
  layer: { apply(x: SymbolicTensor | SymbolicTensor[]): unknown },
  x: SymbolicTensor | SymbolicTensor[],
) {
  return layer.apply(x) as SymbolicTensor;
}

/**
 * Batch norm then ReLU. In training on wasm the ReLU runs inside the batch norm's fused kernels and the
 * ReLU layer passes its input through; model.json has the stock BatchNormalization and ReLU layers.
 */
function bnRelu(x: SymbolicTensor, name: string): SymbolicTensor {
  const normalised = apply(
    fusedBatchNormalization({ name: `${name}_bn`, momentum: BN_MOMENTUM, relu: true }),
    x,
  );
  return apply(reLUAfterBatchNorm({ name: reluLayerName(name) }), normalised);
}

function convBnRelu(
  x: SymbolicTensor,
  { name, filters, kernelSize = 3, strides = 1 }: ConvOptions,
  init: SeededInitializers,
): SymbolicTensor {
  const conv = tf.layers.conv2d({
    name: convLayerName(name),
    filters,
    kernelSize,
    strides,
    padding: 'same',
    useBias: false,
    kernelInitializer: init.he(),
  });
  return bnRelu(apply(conv, x), name);
}

/** Two dilated 3x3 convs with an identity shortcut: more receptive field at 1/8 without downsampling. */
function dilatedResidualBlock(
  x: SymbolicTensor,
  { name, filters, rate }: { name: string; filters: number; rate: number },
  init: SeededInitializers,
) {
  let y = bnRelu(
    atrousConv2d(x, { name: `${name}_a`, filters, kernelSize: 3, rate, kernelInitializer: init.he() }),
    `${name}_a`,
  );
  y = atrousConv2d(y, { name: `${name}_b`, filters, kernelSize: 3, rate, kernelInitializer: init.he() });
  y = apply(fusedBatchNormalization({ name: `${name}_b_bn`, momentum: BN_MOMENTUM }), y);
  const sum = apply(tf.layers.add({ name: `${name}_add` }), [x, y]);
  return apply(tf.layers.reLU({ name: `${name}_relu` }), sum);
}

/** Atrous spatial pyramid pooling: parallel 1x1, dilated 3x3 and image-level branches, concatenated. */
function aspp(
  x: SymbolicTensor,
  { name, filters, featureSize }: { name: string; filters: number; featureSize: [number, number] },
  init: SeededInitializers,
): SymbolicTensor {
  const branch = filters / 2;
  const branches = [convBnRelu(x, { name: `${name}_1x1`, filters: branch, kernelSize: 1 }, init)];
  for (const rate of ASPP_RATES) {
    branches.push(
      bnRelu(
        atrousConv2d(x, {
          name: `${name}_r${rate}`,
          filters: branch,
          kernelSize: 3,
          rate,
          kernelInitializer: init.he(),
        }),
        `${name}_r${rate}`,
      ),
    );
  }
  let pooled = apply(tf.layers.globalAveragePooling2d({ name: `${name}_pool` }), x);
  pooled = apply(
    tf.layers.reshape({ name: `${name}_pool_reshape`, targetShape: [1, 1, x.shape[3]!] }),
    pooled,
  );
  pooled = convBnRelu(pooled, { name: `${name}_pool_proj`, filters: branch, kernelSize: 1 }, init);
  branches.push(apply(tf.layers.upSampling2d({ name: `${name}_pool_up`, size: featureSize }), pooled));
  const merged = apply(tf.layers.concatenate({ name: `${name}_concat` }), branches);
  return convBnRelu(merged, { name: asppProjectionName(name), filters, kernelSize: 1 }, init);
}

/** A light per-task decoder: 2x up, fuse with 1/4 features, 3x3 refine, 1x1 predict, 4x up to full size. */
function taskDecoder(
  context: SymbolicTensor,
  lowLevel: SymbolicTensor,
  { task, width, channels }: { task: Task; width: number; channels: number },
  init: SeededInitializers,
): SymbolicTensor {
  const up = apply(
    tf.layers.upSampling2d({ name: `${task}_up2`, size: [2, 2], interpolation: 'bilinear' }),
    context,
  );
  const skip = convBnRelu(lowLevel, { name: `${task}_skip`, filters: width, kernelSize: 1 }, init);
  let y = apply(tf.layers.concatenate({ name: `${task}_fuse` }), [up, skip]);
  y = convBnRelu(y, { name: `${task}_refine`, filters: 2 * width }, init);
  y = apply(
    tf.layers.conv2d({
      name: `${task}_predict`,
      filters: channels,
      kernelSize: 1,
      kernelInitializer: init.glorot(),
    }),
    y,
  );
  return apply(tf.layers.upSampling2d({ name: task, size: [4, 4], interpolation: 'bilinear' }), y);
}
