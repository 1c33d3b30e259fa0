import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { TensorInfo, backend_util } from '@tensorflow/tfjs';
import { CONV_GRADIENTS_WASM_BASE64 } from './conv-gradients.wasm.js';
import { HeapModule } from './heap-module.js';

/** Shape and geometry of a dilation-1 NHWC convolution, as the SIMD gradient kernels take it. */
export interface ConvGradientGeometry {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  kH: number;
  kW: number;
  strideH: number;
  strideW: number;
  padTop: number;
  padLeft: number;
}

/** The geometry of a tfjs conv info (as computed for the backprop kernels, whose dilation is always 1). */
export function convGradientGeometry(info: backend_util.Conv2DInfo): ConvGradientGeometry {
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) {
    throw new Error('simd conv gradients: dilation must be 1 (dilated convs train through space-to-batch)');
  }
  return {
    batch: info.batchSize,
    inH: info.inHeight,
    inW: info.inWidth,
    inC: info.inChannels,
    outH: info.outHeight,
    outW: info.outWidth,
    outC: info.outChannels,
    kH: info.filterHeight,
    kW: info.filterWidth,
    strideH: info.strideHeight,
    strideW: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/**
 * The hand-written wasm SIMD convolution gradients of conv-gradients.c, bound to one tfjs wasm backend's
 * heap: they read and write tensors in place, by their heap offsets, with no copy in or out.
 */
export interface SimdConvGradients {
  /** dw [kH, kW, inC, outC] = filter gradient from x and dy. */
  backpropFilter(x: TensorInfo, dy: TensorInfo, dw: TensorInfo, g: ConvGradientGeometry): void;
  /** How many float32 of scratch {@link backpropInput} needs. */
  backpropInputScratchFloats(g: ConvGradientGeometry): number;
  /** dx [batch, inH, inW, inC] = input gradient from dy and the filter w, using `scratch`. */
  backpropInput(
    dy: TensorInfo,
    w: TensorInfo,
    dx: TensorInfo,
    scratch: TensorInfo,
    g: ConvGradientGeometry,
  ): void;
}

interface KernelExports {
  conv2d_backprop_filter_f32(x: number, dy: number, dw: number, ...geometry: number[]): void;
  conv2d_backprop_input_scratch_floats(
    inC: number,
    outW: number,
    outC: number,
    kH: number,
    kW: number,
  ): number;
  conv2d_backprop_input_f32(dy: number, w: number, dx: number, scratch: number, ...geometry: number[]): void;
}

const module = new HeapModule<KernelExports>(CONV_GRADIENTS_WASM_BASE64);
const bound = new WeakMap<BackendWasm, SimdConvGradients | null>();
let enabled = true;

/**
 * Switches the SIMD kernels off (or back on), so that tests and benchmarks can also run the XNNPACK
 * formulations that the wasm kernels fall back to; returns the previous setting.
 */
export function setSimdConvGradientsEnabled(on: boolean): boolean {
  const previous = enabled;
  enabled = on;
  return previous;
}

/**
 * The SIMD convolution gradients for `backend`, or undefined where they cannot share its heap: a build
 * without an exported memory, the threaded build, whose memory is shared (this module is built for an
 * unshared one), or a runtime that cannot compile it (no wasm SIMD). Callers then use their XNNPACK
 * formulation.
 */
export function simdConvGradients(backend: BackendWasm): SimdConvGradients | undefined {
  if (!enabled) return undefined;
  let kernels = bound.get(backend);
  if (kernels === undefined) {
    kernels = bind(backend);
    bound.set(backend, kernels);
  }
  return kernels ?? undefined;
}

function bind(backend: BackendWasm): SimdConvGradients | null {
  const exports = module.exportsFor(backend);
  if (exports === undefined) return null;
  const at = (info: TensorInfo): number => backend.getMemoryOffset(info.dataId);
  const geometry = (g: ConvGradientGeometry): number[] => [
    g.batch,
    g.inH,
    g.inW,
    g.inC,
    g.outH,
    g.outW,
    g.outC,
    g.kH,
    g.kW,
    g.strideH,
    g.strideW,
    g.padTop,
    g.padLeft,
  ];
  return {
    backpropFilter(x, dy, dw, g) {
      exports.conv2d_backprop_filter_f32(at(x), at(dy), at(dw), ...geometry(g));
    },
    backpropInputScratchFloats(g) {
      return exports.conv2d_backprop_input_scratch_floats(g.inC, g.outW, g.outC, g.kH, g.kW);
    },
    backpropInput(dy, w, dx, scratch, g) {
      exports.conv2d_backprop_input_f32(at(dy), at(w), at(dx), at(scratch), ...geometry(g));
    },
  };
}
