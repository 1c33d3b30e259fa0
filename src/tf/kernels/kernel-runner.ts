import type { KernelBackend, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import { tf } from '../tfjs.js';

/**
 * Runs registered kernels of one backend directly from inside another kernel, and frees every
 * intermediate result it made when the composite kernel is done.
 *
 * Composite kernels (a backprop built from forward convolutions, say) cannot call `tf.*` ops: inside a
 * kernel the engine is mid-dispatch and would neither tape nor track those tensors. Calling the backend's
 * own kernel functions is what the stock backends do internally; this class adds the bookkeeping so that
 * a composite never leaks backend memory, even when it throws half-way.
 */
export class KernelRunner {
  private readonly made: TensorInfo[] = [];

  constructor(
    readonly backend: KernelBackend,
    readonly backendName: string,
  ) {}

  /** Runs kernel `name` of this backend; the result is freed by {@link dispose} unless {@link keep} is called. */
  run(name: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
    const config = tf.getKernel(name, this.backendName);
    if (config === undefined) {
      throw new Error(`KernelRunner: kernel '${name}' is not registered for backend '${this.backendName}'`);
    }
    const out = config.kernelFunc({ inputs, attrs, backend: this.backend });
    if (Array.isArray(out)) {
      throw new Error(
        `KernelRunner: kernel '${name}' returned several outputs; only single-output kernels are supported`,
      );
    }
    this.made.push(out);
    return out;
  }

  /** Records a tensor that was allocated outside {@link run} so that {@link dispose} frees it too. */
  track(info: TensorInfo): TensorInfo {
    this.made.push(info);
    return info;
  }

  /** Exempts `info` (the composite's result) from {@link dispose}. */
  keep(info: TensorInfo): TensorInfo {
    const index = this.made.indexOf(info);
    if (index >= 0) this.made.splice(index, 1);
    return info;
  }

  /** Frees every tracked intermediate (each call to a kernel holds one reference to its result). */
  dispose(): void {
    for (const info of this.made.splice(0)) this.backend.disposeData(info.dataId);
  }
}

/**
 * Runs `body` with a fresh {@link KernelRunner}, keeps the result it returns and frees everything else,
 * also when `body` throws.
 */
export function withKernelRunner(
  backend: KernelBackend,
  backendName: string,
  body: (runner: KernelRunner) => TensorInfo,
): TensorInfo {
  const runner = new KernelRunner(backend, backendName);
  try {
    return runner.keep(body(runner));
  } finally {
    runner.dispose();
  }
}
