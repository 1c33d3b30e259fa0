import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type {
  KernelConfig,
  KernelFunc,
  NamedAttrMap,
  NamedTensorInfoMap,
  TensorInfo,
} from '@tensorflow/tfjs';
import { tf } from '../tfjs.js';

const stockKernels = new Map<string, KernelConfig>();
const ours = new Set<string>();

/**
 * Registers `config` for 'wasm' in place of the stock kernel of that name (if any), which stays available
 * through {@link stockWasmKernel}. The stock kernel's setup still runs when the backend initialises: other
 * stock kernels call its implementation directly (Mean transposes through the stock Transpose, which
 * needs its wasm function bound).
 */
export function replaceWasmKernel(config: KernelConfig): void {
  const stock = stockKernels.get(config.kernelName) ?? tf.getKernel(config.kernelName, 'wasm');
  if (stock !== undefined && !ours.has(config.kernelName)) {
    stockKernels.set(config.kernelName, stock);
    tf.unregisterKernel(config.kernelName, 'wasm');
  }
  ours.add(config.kernelName);
  const stockSetup = stock?.setupFunc;
  tf.registerKernel(
    stockSetup === undefined
      ? config
      : {
          ...config,
          setupFunc: (backend) => {
            stockSetup(backend);
            config.setupFunc?.(backend);
          },
        },
  );
}

/**
 * The stock wasm kernel `kernelName` (also after this project replaced it), for the kernels that delegate
 * some cases to it and for benchmarks and tests that compare against it; undefined where tfjs has none.
 * Its one-time setup (binding the wasm function), which the backend skips for unregistered kernels, runs
 * on first call.
 */
export function stockWasmKernel(kernelName: string): KernelConfig | undefined {
  const stock =
    stockKernels.get(kernelName) ?? (ours.has(kernelName) ? undefined : tf.getKernel(kernelName, 'wasm'));
  if (stock === undefined) return undefined;
  const setUpFor = new WeakSet<object>();
  return {
    ...stock,
    kernelFunc: (args) => {
      if (!setUpFor.has(args.backend)) {
        stock.setupFunc?.(args.backend);
        setUpFor.add(args.backend);
      }
      return stock.kernelFunc(args);
    },
  };
}

const stockFallbacks = new Map<string, KernelConfig>();

/**
 * Runs tfjs' own wasm kernel `kernelName` with `args` (for the cases a replacement leaves to it: strings,
 * other dtypes, attributes it does not handle).
 */
export function runStockWasmKernel(kernelName: string, args: Parameters<KernelConfig['kernelFunc']>[0]) {
  let stock = stockFallbacks.get(kernelName);
  if (stock === undefined) {
    stock = stockWasmKernel(kernelName);
    if (stock === undefined) throw new Error(`tfjs has no wasm kernel '${kernelName}' to fall back to`);
    stockFallbacks.set(kernelName, stock);
  }
  return stock.kernelFunc(args);
}

/** What this project's wasm kernel functions receive. */
export interface WasmKernelArgs {
  inputs: NamedTensorInfoMap;
  backend: BackendWasm;
  attrs: NamedAttrMap;
}

/** The registration of a wasm kernel function of this project. */
export function wasmKernelConfig(
  kernelName: string,
  kernelFunc: (args: WasmKernelArgs) => TensorInfo | TensorInfo[],
): KernelConfig {
  return { kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
