import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { ResizeBilinearAttrs, TensorInfo } from '@tensorflow/tfjs';
import { tf } from '../tfjs.js';
import { heapKernels, type ResizeGeometry, type TrainingKernels } from './simd/training-kernels.js';
import { runStockWasmKernel, wasmKernelConfig, type WasmKernelArgs } from './stock-kernels.js';

/**
 * The geometry of a resize from `input` [batch, inH, inW, C] to [outH, outW], with tfjs' scales (the
 * effective sizes use size - 1 under align-corners).
 */
function resizeGeometry(
  input: readonly number[],
  [outH, outW]: readonly number[],
  alignCorners: boolean,
): ResizeGeometry {
  const [batch, inH, inW, channels] = input as [number, number, number, number];
  const effective = (size: number, out: number) => (alignCorners && out > 1 ? size - 1 : size);
  return {
    batch,
    inH,
    inW,
    outH: outH!,
    outW: outW!,
    channels,
    scaleH: effective(inH, outH!) / effective(outH!, outH!),
    scaleW: effective(inW, outW!) / effective(outW!, outW!),
  };
}

/** The kernels, where they handle this call: float32 NHWC without half-pixel centres. */
function ours(
  backend: BackendWasm,
  image: TensorInfo,
  halfPixelCenters: boolean,
): TrainingKernels | undefined {
  if (halfPixelCenters || image.dtype !== 'float32' || image.shape.length !== 4) return undefined;
  return heapKernels(backend);
}

function withScratch(
  backend: BackendWasm,
  kernels: TrainingKernels,
  g: ResizeGeometry,
  body: (scratch: TensorInfo) => void,
) {
  const scratch = backend.makeOutput([Math.max(1, kernels.resizeScratchFloats(g))], 'float32');
  try {
    body(scratch);
  } finally {
    backend.disposeData(scratch.dataId);
  }
}

/**
 * ResizeBilinearGrad on the wasm backend: the gradient of the heads' 4x upsampling to full resolution. The
 * stock kernel scatters every dy element into four pixels in a scalar loop (~10 ns an element; 4% of a step
 * at 128x256); simd/resize-bilinear-grad.c adds each dy row into the width-domain rows of its two source
 * rows and scatters each of those along the width once. Half-pixel centres (whose gradient tfjs' own
 * kernels do not distinguish) and other dtypes go to the stock kernel.
 */
function resizeBilinearGrad(args: WasmKernelArgs): TensorInfo {
  const { inputs, backend } = args;
  const attrs = args.attrs as unknown as ResizeBilinearAttrs;
  const images = inputs.images!;
  const dy = inputs.dy!;
  const kernels = dy.dtype === 'float32' ? ours(backend, images, attrs.halfPixelCenters) : undefined;
  if (kernels === undefined) {
    return runStockWasmKernel('ResizeBilinearGrad', args) as TensorInfo;
  }
  const g = resizeGeometry(images.shape, dy.shape.slice(1, 3), attrs.alignCorners);
  if (dy.shape[0] !== g.batch || dy.shape[3] !== g.channels) {
    throw new Error(
      `ResizeBilinearGrad: dy [${dy.shape.join(', ')}] does not fit images [${images.shape.join(', ')}]`,
    );
  }
  const dx = backend.makeOutput([...images.shape], 'float32');
  if (tf.util.sizeFromShape(dx.shape) === 0) return dx;
  withScratch(backend, kernels, g, (scratch) => kernels.resizeBilinearGrad(dy, dx, scratch, g));
  return dx;
}

/** Kernel registration for the wasm ResizeBilinearGrad. */
export const resizeBilinearGradConfig = wasmKernelConfig('ResizeBilinearGrad', resizeBilinearGrad);
