/** tfjs' own float32 GEMM speed on the active backend: the ceiling its convolutions can reach. */
import { tf } from '../../src/tf/index.js';

/**
 * GFLOP/s of an n x n by n x n `tf.matMul`, best of `reps` after one untimed call (2 n^3 FLOPs each).
 */
export function tfjsMatMulGflops(n: number, reps: number): number {
  const a = tf.randomNormal([n, n], 0, 1, 'float32', 1);
  const b = tf.randomNormal([n, n], 0, 1, 'float32', 2);
  try {
    const once = () => {
      const start = performance.now();
      const c = tf.matMul(a, b);
      c.dataSync();
      const ms = performance.now() - start;
      c.dispose();
      return ms;
    };
    once();
    const best = Math.min(...Array.from({ length: reps }, once));
    return (2 * n ** 3) / best / 1e6;
  } finally {
    tf.dispose([a, b]);
  }
}
