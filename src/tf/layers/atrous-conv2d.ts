import type { SymbolicTensor } from '@tensorflow/tfjs';
import { tf } from '../tfjs.js';
import { batchedTimeDistributed } from './batched-time-distributed.js';

/** Options of {@link atrousConv2d}; the same meaning as in `tf.layers.conv2d`. */
export interface AtrousConv2dOptions {
  filters: number;
  kernelSize: number;
  /** Dilation rate; both spatial sizes of the input must be multiples of it. */
  rate: number;
  useBias?: boolean;
  /** Layer-name prefix, so that weights get stable, readable names in model.json. */
  name: string;
  /** Initializer of the kernel (default He-normal); pass a seeded one for reproducible runs. */
  kernelInitializer?: ReturnType<typeof tf.initializers.heNormal>;
}

/**
 * A trainable dilated ("atrous") 3x3-style convolution made only of stock tfjs layers, so the model stays
 * loadable by plain `tf.loadLayersModel` in Node and browsers, with 'same' padding.
 *
 * Why not `tf.layers.conv2d({ dilationRate })`: tfjs' layers run convolutions through the fused conv op,
 * whose gradient refuses dilation > 1 on every backend. A dilated conv with rate r equals a plain conv
 * applied to the r*r phase images of the input (space-to-batch), interleaved back (batch-to-space); this
 * builds exactly that with Reshape/Permute around a TimeDistributed Conv2D (one conv on the phases folded
 * into the batch: {@link batchedTimeDistributed}), so its gradient is the plain convolution gradient. Exact
 * when height and width are multiples of `rate` and the kernel size is odd.
 */
export function atrousConv2d(input: SymbolicTensor, options: AtrousConv2dOptions): SymbolicTensor {
  const [, height, width, channels] = input.shape;
  const { rate, filters, kernelSize, name } = options;
  if (height == null || width == null || channels == null) {
    throw new Error(
      `atrousConv2d '${name}': input height, width and channels must be known, got ${input.shape}`,
    );
  }
  if (kernelSize % 2 !== 1)
    throw new Error(`atrousConv2d '${name}': kernelSize must be odd, got ${kernelSize}`);
  const conv = tf.layers.conv2d({
    name: `${name}_conv`,
    filters,
    kernelSize,
    padding: 'same',
    useBias: options.useBias ?? false,
    kernelInitializer: options.kernelInitializer ?? 'heNormal',
  });
  if (rate === 1) return conv.apply(input) as SymbolicTensor;
  if (height % rate !== 0 || width % rate !== 0) {
    throw new Error(`atrousConv2d '${name}': input ${height}x${width} is not a multiple of the rate ${rate}`);
  }
  const h = height / rate;
  const w = width / rate;
  const apply = (layer: { apply(x: SymbolicTensor): unknown }, x: SymbolicTensor) =>
    layer.apply(x) as SymbolicTensor;
  // [h*r, w*r, c] -> [h, r, w, r, c] -> [r, r, h, w, c] -> [r*r phases, h, w, c]
  let x = apply(
    tf.layers.reshape({ name: `${name}_split`, targetShape: [h, rate, w, rate, channels] }),
    input,
  );
  x = apply(tf.layers.permute({ name: `${name}_to_phases`, dims: [2, 4, 1, 3, 5] }), x);
  x = apply(tf.layers.reshape({ name: `${name}_phases`, targetShape: [rate * rate, h, w, channels] }), x);
  x = apply(batchedTimeDistributed({ name: `${name}_per_phase`, layer: conv }), x);
  // [r*r, h, w, f] -> [r, r, h, w, f] -> [h, r, w, r, f] -> [h*r, w*r, f]
  x = apply(tf.layers.reshape({ name: `${name}_unphase`, targetShape: [rate, rate, h, w, filters] }), x);
  x = apply(tf.layers.permute({ name: `${name}_from_phases`, dims: [3, 1, 4, 2, 5] }), x);
  return apply(tf.layers.reshape({ name: `${name}_merge`, targetShape: [height, width, filters] }), x);
}
