/**
 * The single import point of TensorFlow.js for the whole project.
 *
 * Every other module imports `tf` from `src/tf/index.ts` (which re-exports this), never from
 * `@tensorflow/tfjs` directly, so that the backend chosen by {@link selectBackend} and the kernels and
 * gradients this project registers are always in place before any tensor is made. The native packages
 * (`@tensorflow/tfjs-node-gpu`, `@tensorflow/tfjs-node`) re-export the same `@tensorflow/tfjs` build and only
 * add a backend, so the API below is the same on every backend.
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
