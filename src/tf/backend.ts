import { BackendError } from '../errors.js';
import { tf } from './tfjs.js';
import { batchNormTrainingGradConfig } from './gradients/batch-norm-training-grad.js';
import { conv2dGradConfig } from './gradients/conv2d-grad.js';
import { maskedL1LossGradConfig } from './gradients/masked-l1-loss-grad.js';
import { maskedSoftmaxCrossEntropyGradConfig } from './gradients/masked-softmax-cross-entropy-grad.js';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from './kernels/index.js';
import { registerBatchedTimeDistributed } from './layers/batched-time-distributed.js';
import { simdConvGradients } from './kernels/simd/conv-gradients.js';

/** What `TF_BACKEND` accepts: `auto` picks the fastest backend that loads on this machine. */
export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

/** The backends `auto` tries, fastest first. */
export const AUTO_BACKEND_ORDER = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const;

/** One candidate backend: the npm package that provides it and the tfjs backend name it registers. */
type Candidate = (typeof AUTO_BACKEND_ORDER)[number];

/** What was chosen, and why; logged at start, reported by /health/ready and stored in manifests. */
export interface BackendInfo {
  /** tfjs backend name now active: 'tensorflow' (native libtensorflow), 'wasm' or 'cpu'. */
  name: 'tensorflow' | 'wasm' | 'cpu';
  /** The npm package that provides it. */
  package: string;
  /** Whether the native backend runs on a CUDA device (false for every other backend). */
  gpu: boolean;
  /** What TF_BACKEND asked for. */
  requested: BackendChoice;
  /** Human-readable reason, e.g. "auto: @tensorflow/tfjs-node-gpu not installed; wasm loaded". */
  reason: string;
  /** Candidates tried before the chosen one, with the error each gave. */
  skipped: { candidate: string; error: string }[];
  /**
   * wasm only: SIMD and thread count in use, and which implementation the conv gradients run: 'simd' (the
   * hand-written kernels of kernels/simd/conv-gradients.c) or 'xnnpack' (built on the forward conv, where
   * those kernels cannot share the backend's heap), as found when the backend was selected.
   */
  wasm?: { simd: boolean; threads: number; convGradients: 'simd' | 'xnnpack' };
  tfjsVersion: string;
}

let active: BackendInfo | undefined;
let gradientsRegistered = false;

/**
 * Chooses and initialises the compute backend. Idempotent for the same choice; a second, different
 * choice switches backends (tests use that to compare kernels against the cpu reference).
 *
 * Order for `auto`: `@tensorflow/tfjs-node-gpu` (CUDA when present, its own CPU build otherwise), then
 * `@tensorflow/tfjs-node`, then wasm (with the training kernels this project adds), then the pure-JS cpu
 * backend. The native packages are optional dependencies and are skipped where they did not install.
 */
export async function selectBackend(choice: BackendChoice = 'auto'): Promise<BackendInfo> {
  if (active !== undefined && active.requested === choice && tf.getBackend() === active.name) return active;
  registerProjectGradients();
  registerBatchedTimeDistributed();
  const candidates: readonly Candidate[] =
    choice === 'auto'
      ? AUTO_BACKEND_ORDER
      : choice === 'tensorflow'
        ? ['tfjs-node-gpu', 'tfjs-node']
        : [choice];
  const skipped: BackendInfo['skipped'] = [];
  for (const candidate of candidates) {
    try {
      const info = await activate(candidate, choice, skipped);
      active = info;
      return info;
    } catch (error) {
      skipped.push({ candidate, error: error instanceof Error ? error.message : String(error) });
    }
  }
  const tried = skipped.map((s) => `${s.candidate}: ${s.error}`).join('; ');
  throw new BackendError(`TF_BACKEND=${choice}: no backend could be initialised (${tried})`);
}

/** The backend chosen by {@link selectBackend}, or undefined before it ran. */
export function backendInfo(): BackendInfo | undefined {
  return active;
}

/**
 * Registers the gradients this project replaces (globally: gradients are shared by all backends).
 * Done before any backend is chosen so that training behaves the same everywhere.
 */
function registerProjectGradients(): void {
  if (gradientsRegistered) return;
  const log = console.warn;
  // tfjs warns "Overriding the gradient for 'Conv2D'" on purpose; the override is intended and documented.
  console.warn = () => undefined;
  try {
    tf.registerGradient(conv2dGradConfig);
    tf.registerGradient(batchNormTrainingGradConfig);
    tf.registerGradient(maskedSoftmaxCrossEntropyGradConfig);
    tf.registerGradient(maskedL1LossGradConfig);
  } finally {
    console.warn = log;
  }
  gradientsRegistered = true;
}

async function activate(
  candidate: Candidate,
  requested: BackendChoice,
  skipped: BackendInfo['skipped'],
): Promise<BackendInfo> {
  const because =
    skipped.length > 0 ? `${skipped.map((s) => `${s.candidate} unavailable`).join(', ')}; ` : '';
  const base = { requested, skipped: [...skipped], tfjsVersion: tf.version.tfjs };
  switch (candidate) {
    case 'tfjs-node-gpu':
    case 'tfjs-node': {
      const pkg = `@tensorflow/${candidate}`;
      await import(pkg);
      await setBackendOrThrow('tensorflow');
      const native = tf.backend() as unknown as { isUsingGpuDevice?: boolean };
      return {
        ...base,
        name: 'tensorflow',
        package: pkg,
        gpu: native.isUsingGpuDevice === true,
        reason: `${requested}: ${because}${pkg} loaded`,
      };
    }
    case 'wasm': {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      registerWasmTrainingKernels();
      await setBackendOrThrow('wasm');
      const convGradients = simdConvGradients(tf.backend() as BackendWasm) ? 'simd' : 'xnnpack';
      return {
        ...base,
        name: 'wasm',
        package: '@tensorflow/tfjs-backend-wasm',
        gpu: false,
        reason: `${requested}: ${because}wasm loaded with the project's training kernels (${convGradients} conv gradients)`,
        wasm: {
          simd: (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true,
          threads: wasm.getThreadsCount(),
          convGradients,
        },
      };
    }
    case 'cpu':
      await setBackendOrThrow('cpu');
      return {
        ...base,
        name: 'cpu',
        package: '@tensorflow/tfjs-backend-cpu',
        gpu: false,
        reason: `${requested}: ${because}pure-JS cpu backend (slow: for reference and tiny models only)`,
      };
  }
}

async function setBackendOrThrow(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend('${name}') failed`);
  await tf.ready();
}
