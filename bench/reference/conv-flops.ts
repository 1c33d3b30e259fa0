/**
 * Floating-point operations of the network's convolutions, counted from the tfjs model's layers: what
 * the GFLOP/s of a step are measured against.
 *
 * @packageDocumentation
 */
import type { LayersModel, layers } from '@tensorflow/tfjs';

/** One conv layer's share. */
export interface ConvFlops {
  /** The layer that owns the kernel (a Conv2D, or the TimeDistributed around an atrous conv). */
  layer: string;
  /** Kernel shape [kh, kw, in, out]. */
  kernel: number[];
  /** Output positions per sample (H * W, or phases * h * w for an atrous conv). */
  positions: number;
  /** 2 * kh * kw * in * out * positions: multiply-adds of one sample's forward pass, times 2. */
  flops: number;
}

/**
 * Backward FLOPs per forward FLOP of a conv: the input gradient and the kernel gradient each cost one
 * forward pass (the stem's input gradient is not needed, which this ignores: "~2x").
 */
export const BACKWARD_PER_FORWARD = 2;

/** Conv layers of the model with their forward FLOPs per sample; bias adds and everything else uncounted. */
export function convLayerFlops(model: LayersModel): ConvFlops[] {
  return model.layers.flatMap((layer) => {
    const inner = innerConv(layer);
    if (inner === undefined) return [];
    const kernel = inner.trainableWeights[0]!.shape as number[];
    const shape = layer.outputShape as (number | null)[];
    // Everything between the batch axis and the channel axis is an output position.
    const positions = shape.slice(1, -1).reduce<number>((product, side) => product * (side ?? 0), 1);
    const [kh, kw, cin, cout] = kernel as [number, number, number, number];
    return [{ layer: layer.name, kernel, positions, flops: 2 * kh * kw * cin * cout * positions }];
  });
}

/** Forward conv FLOPs of one sample. */
export function forwardConvFlops(model: LayersModel): number {
  return convLayerFlops(model).reduce((sum, conv) => sum + conv.flops, 0);
}

/** The Conv2D a layer runs: itself, or the one a TimeDistributed wrapper applies per phase. */
function innerConv(layer: layers.Layer): layers.Layer | undefined {
  if (layer.getClassName() === 'Conv2D') return layer;
  if (layer.getClassName() === 'TimeDistributed') {
    const wrapped = (layer as unknown as { layer: layers.Layer }).layer;
    return wrapped.getClassName() === 'Conv2D' ? wrapped : undefined;
  }
  return undefined;
}
