import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type {
  Conv2DBackpropInputAttrs,
  Conv2DBackpropInputInputs,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs';
import { tf } from '../tfjs.js';
import { assertGradientShapes, backpropInputPhases, type BackpropInputPhase } from './conv-geometry.js';
import type { KernelRunner } from './kernel-runner.js';
import { withKernelRunner } from './kernel-runner.js';
import { convGradientGeometry, simdConvGradients } from './simd/conv-gradients.js';
import { assertFloat32, heapFloat32 } from './wasm-heap.js';

const KERNEL = 'Conv2DBackpropInput';

/**
 * Layers with at most this many input channels take the SIMD kernel of simd/conv-gradients.c (one GEMM per
 * dy row along the patch axis kH*kW*inC, then col2im); wider ones the sub-pixel phases on XNNPACK. Why 16:
 * in bench/results/kernels.md the SIMD kernel is 5-7x faster on the 3-channel stem and 1.6-1.9x at 16
 * channels (XNNPACK's phase GEMMs have only inC columns there); from 32 channels on, where XNNPACK's tiles
 * fill, the two trade places (0.8-1.3x) within the run-to-run noise.
 */
export const SIMD_INPUT_GRADIENT_MAX_CHANNELS = 16;

/**
 * Layers whose dy has at most this many pixels (batch x height x width) take the SIMD kernel whatever their
 * channels. Why 128: the XNNPACK formulation builds a sub-filter and an XNNPACK operator (packing its
 * weights) on every call, which small images cannot amortise: in bench/results/kernels.md's small-image
 * table the SIMD kernel is ~2-7x faster up to 64 pixels, and level or behind from 256. Those are the
 * dilated convs' phase images (e.g. 2x4 at batch 8 for rate 4 at 64x128) and the layers of a small step.
 */
export const SIMD_INPUT_GRADIENT_MAX_PIXELS = 128;

/** Whether the input gradient of this geometry takes the SIMD kernel (see the two thresholds above). */
export function simdInputGradientFits(inC: number, dyPixels: number): boolean {
  return inC <= SIMD_INPUT_GRADIENT_MAX_CHANNELS || dyPixels <= SIMD_INPUT_GRADIENT_MAX_PIXELS;
}

/**
 * Input gradient of a 2D convolution on the wasm backend. tfjs 4.22's own wasm kernel is a scalar
 * reference loop about 10x slower than the forward conv.
 *
 * Few-channel layers and small images (see {@link simdInputGradientFits}) run the SIMD kernel in place on
 * the heap. The others, and all layers where that kernel cannot share the heap, are built on the backend's
 * XNNPACK forward convolution: the gradient is split into `strideH * strideW` sub-pixel phases, each a
 * stride-1 correlation of dy with a flipped sub-filter (see {@link backpropInputPhases}), and the phases
 * are interleaved into dx.
 */
function conv2dBackpropInput(args: {
  inputs: Conv2DBackpropInputInputs;
  backend: BackendWasm;
  attrs: Conv2DBackpropInputAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const dy = inputs.dy as TensorInfo;
  const filter = inputs.filter as TensorInfo;
  assertFloat32(KERNEL, 'dy', dy);
  assertFloat32(KERNEL, 'filter', filter);
  const dataFormat = tf.backend_util.convertConv2DDataFormat(attrs.dataFormat);
  if (dataFormat !== 'channelsLast')
    throw new Error(`${KERNEL}: wasm supports only NHWC, got ${attrs.dataFormat}`);
  const filterShape = filter.shape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape,
    filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    dataFormat,
  );
  assertGradientShapes(KERNEL, info, dy.shape, filterShape[2]);
  const [batch, inH, inW, inC] = attrs.inputShape;
  const dyPixels = batch * info.outHeight * info.outWidth;
  const simd = simdInputGradientFits(inC, dyPixels) ? simdConvGradients(backend) : undefined;
  if (simd !== undefined) {
    const geometry = convGradientGeometry(info);
    return withKernelRunner(backend, 'wasm', (runner) => {
      const scratch = runner.track(
        backend.makeOutput([simd.backpropInputScratchFloats(geometry)], 'float32'),
      );
      const dx = backend.makeOutput([batch, inH, inW, inC], 'float32');
      simd.backpropInput(dy, filter, dx, scratch, geometry);
      return dx;
    });
  }
  const rowPhases = backpropInputPhases(
    inH,
    info.outHeight,
    info.filterHeight,
    info.strideHeight,
    info.padInfo.top,
  );
  const colPhases = backpropInputPhases(
    inW,
    info.outWidth,
    info.filterWidth,
    info.strideWidth,
    info.padInfo.left,
  );

  return withKernelRunner(backend, 'wasm', (runner) => {
    const results: { row: BackpropInputPhase; col: BackpropInputPhase; out: TensorInfo }[] = [];
    for (const row of rowPhases) {
      for (const col of colPhases) {
        if (row.taps.length === 0 || col.taps.length === 0) continue;
        results.push({ row, col, out: phaseCorrelation(runner, backend, dy, filter, row, col) });
      }
    }
    const single =
      results.length === 1 && rowPhases.length === 1 && colPhases.length === 1 ? results[0] : undefined;
    if (single !== undefined && single.row.rows === inH && single.col.rows === inW) return single.out;

    const dx = runner.track(backend.makeOutput([batch, inH, inW, inC], 'float32'));
    const dxData = heapFloat32(backend, dx);
    if (results.length < rowPhases.length * colPhases.length) dxData.fill(0);
    for (const { row, col, out } of results) {
      interleavePhase(heapFloat32(backend, out), dxData, batch, [inH, inW, inC], row, col, [
        info.strideHeight,
        info.strideWidth,
      ]);
    }
    return dx;
  });
}

/** Runs the stride-1 correlation that produces one (row, col) phase of dx: [batch, rows, cols, inC]. */
function phaseCorrelation(
  runner: KernelRunner,
  backend: BackendWasm,
  dy: TensorInfo,
  filter: TensorInfo,
  row: BackpropInputPhase,
  col: BackpropInputPhase,
): TensorInfo {
  const [batch, outH, outW, outC] = dy.shape as [number, number, number, number];
  let input = dy;
  if (row.dySliceStart > 0 || row.dySliceEnd < outH || col.dySliceStart > 0 || col.dySliceEnd < outW) {
    input = runner.run(
      'Slice',
      { x: dy },
      {
        begin: [0, row.dySliceStart, col.dySliceStart, 0],
        size: [batch, row.dySliceEnd - row.dySliceStart, col.dySliceEnd - col.dySliceStart, outC],
      },
    );
  }
  const subFilter = runner.track(subFilterFor(backend, filter, row.taps, col.taps));
  return runner.run(
    'Conv2D',
    { x: input, filter: subFilter },
    {
      strides: [1, 1],
      dilations: [1, 1],
      pad: [
        [0, 0],
        [row.padBefore, row.padAfter],
        [col.padBefore, col.padAfter],
        [0, 0],
      ],
      dataFormat: 'NHWC',
    },
  );
}

/**
 * Gathers the taps of one phase from the forward filter [kh, kw, inC, outC] into a correlation filter
 * [rowTaps, colTaps, outC, inC] (in and out channels swap roles in the backward pass).
 */
function subFilterFor(
  backend: BackendWasm,
  filter: TensorInfo,
  rowTaps: number[],
  colTaps: number[],
): TensorInfo {
  const [, kw, inC, outC] = filter.shape as [number, number, number, number];
  const sub = backend.makeOutput([rowTaps.length, colTaps.length, outC, inC], 'float32');
  const w = heapFloat32(backend, filter);
  const f = heapFloat32(backend, sub);
  let o = 0;
  for (const th of rowTaps) {
    for (const tw of colTaps) {
      const base = (th * kw + tw) * inC * outC;
      for (let co = 0; co < outC; co++) {
        for (let ci = 0; ci < inC; ci++) f[o++] = w[base + ci * outC + co]!;
      }
    }
  }
  return sub;
}

/** Copies phase rows/cols `q*stride + phase` of dx out of the dense phase result, cropping past the edge. */
function interleavePhase(
  phase: Float32Array,
  dx: Float32Array,
  batch: number,
  [inH, inW, inC]: [number, number, number],
  row: BackpropInputPhase,
  col: BackpropInputPhase,
  [strideH, strideW]: [number, number],
): void {
  for (let b = 0; b < batch; b++) {
    for (let q = 0; q < row.rows; q++) {
      const y = q * strideH + row.phase;
      if (y >= inH) break;
      for (let p = 0; p < col.rows; p++) {
        const x = p * strideW + col.phase;
        if (x >= inW) break;
        const src = ((b * row.rows + q) * col.rows + p) * inC;
        dx.set(phase.subarray(src, src + inC), ((b * inH + y) * inW + x) * inC);
      }
    }
  }
}

/** Kernel registration for the fast wasm Conv2DBackpropInput. */
export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: KERNEL,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInput as unknown as KernelFunc,
};
