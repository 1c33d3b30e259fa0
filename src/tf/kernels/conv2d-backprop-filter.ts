import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type {
  Conv2DBackpropFilterAttrs,
  Conv2DBackpropFilterInputs,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs';
import { tf } from '../tfjs.js';
import { assertGradientShapes, backpropFilterGeometry } from './conv-geometry.js';
import { withKernelRunner } from './kernel-runner.js';
import { convGradientGeometry, simdConvGradients } from './simd/conv-gradients.js';
import { assertFloat32 } from './wasm-heap.js';

const KERNEL = 'Conv2DBackpropFilter';

/**
 * Filter gradient of a 2D convolution on the wasm backend (tfjs 4.22 has none).
 *
 * Runs the hand-written SIMD kernel of simd/conv-gradients.c in place on the heap, which streams x and dy
 * in their own layout (0.6-1.6x the forward conv's GFLOP/s at the network's shapes, 1.5-7x the XNNPACK
 * formulation below; bench/results/kernels.md). Where that kernel cannot share the heap (the threaded wasm
 * build, or no wasm SIMD), it falls back to one XNNPACK forward
 * convolution: with the batch moved into the channel axis, dW[t, ci, co] = sum_{b,o} x[b, o*s + t - p, ci] *
 * dy[b, o, co] is a convolution of x^T [inC, H, W, batch] with dy^T [outH, outW, batch, outC] as the filter,
 * dilated by the forward stride. That keeps the reduction over batch*outH*outW inside XNNPACK's GEMM
 * instead of an im2col copy plus a transposed matMul (12x slower on this backend), at the price of
 * transposing x and dy first.
 */
function conv2dBackpropFilter(args: {
  inputs: Conv2DBackpropFilterInputs;
  backend: BackendWasm;
  attrs: Conv2DBackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  const dy = inputs.dy as TensorInfo;
  assertFloat32(KERNEL, 'x', x);
  assertFloat32(KERNEL, 'dy', dy);
  const dataFormat = tf.backend_util.convertConv2DDataFormat(attrs.dataFormat);
  if (dataFormat !== 'channelsLast')
    throw new Error(`${KERNEL}: wasm supports only NHWC, got ${attrs.dataFormat}`);
  const [batch, inH, inW, inC] = x.shape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(
    [batch, inH, inW, inC],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    dataFormat,
  );
  assertGradientShapes(KERNEL, info, dy.shape, attrs.filterShape[2]);
  const simd = simdConvGradients(backend);
  if (simd !== undefined) {
    const dw = backend.makeOutput([...attrs.filterShape], 'float32');
    simd.backpropFilter(x, dy, dw, convGradientGeometry(info));
    return dw;
  }
  const rows = backpropFilterGeometry(
    inH,
    info.outHeight,
    info.filterHeight,
    info.strideHeight,
    info.padInfo.top,
  );
  const cols = backpropFilterGeometry(
    inW,
    info.outWidth,
    info.filterWidth,
    info.strideWidth,
    info.padInfo.left,
  );

  const pointwise =
    info.filterHeight === 1 && info.filterWidth === 1 && info.strideHeight === 1 && info.strideWidth === 1;
  const unpadded = info.padInfo.top + info.padInfo.bottom + info.padInfo.left + info.padInfo.right === 0;
  return withKernelRunner(backend, 'wasm', (runner) => {
    if (pointwise && unpadded) {
      // A 1x1 conv is a plain GEMM: dW = x^T dy, with x^T materialised because the wasm matMul is ~12x
      // slower with a transpose flag than on pre-transposed operands.
      const pixels = batch * inH * inW;
      const xT = runner.run(
        'Transpose',
        { x: runner.run('Reshape', { x }, { shape: [pixels, inC] }) },
        { perm: [1, 0] },
      );
      const a = runner.run('Reshape', { x: xT }, { shape: [1, inC, pixels] });
      const b = runner.run('Reshape', { x: dy }, { shape: [1, pixels, info.outChannels] });
      const product = runner.run('BatchMatMul', { a, b }, { transposeA: false, transposeB: false });
      return runner.run('Reshape', { x: product }, { shape: attrs.filterShape });
    }
    let input = x;
    if (rows.inputRows < inH || cols.inputRows < inW) {
      input = runner.run(
        'Slice',
        { x },
        { begin: [0, 0, 0, 0], size: [batch, rows.inputRows, cols.inputRows, inC] },
      );
    }
    const xT = runner.run('Transpose', { x: input }, { perm: [3, 1, 2, 0] });
    const dyT = runner.run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
    const grad = runner.run(
      'Conv2D',
      { x: xT, filter: dyT },
      {
        strides: [1, 1],
        dilations: [info.strideHeight, info.strideWidth],
        pad: [
          [0, 0],
          [rows.padBefore, rows.padAfter],
          [cols.padBefore, cols.padAfter],
          [0, 0],
        ],
        dataFormat: 'NHWC',
      },
    );
    return runner.run('Transpose', { x: grad }, { perm: [1, 2, 0, 3] });
  });
}

/** Kernel registration for the wasm Conv2DBackpropFilter. */
export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: KERNEL,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter as unknown as KernelFunc,
};
