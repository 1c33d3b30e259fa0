/*
 * One Adam update of one variable as a single wasm SIMD kernel on the tfjs heap.
 *
 * Why: tfjs' AdamOptimizer runs ~13 kernels per variable and step (mul, add, square, div, sqrt, ...), which
 * for this project's ~60 small variables is ~800 kernel calls of dispatch per step for very little
 * arithmetic. This is the same arithmetic, in the same float32 operations and order as tfjs-core's
 * adam_optimizer.ts (there is no fused multiply-add in wasm SIMD128), so the results are bit for bit those
 * of the stock optimizer:
 *   m' = m * beta1 + g * (1 - beta1)
 *   v' = v * beta2 + (g * g) * (1 - beta2)
 *   value' = ((m' / (1 - accBeta1)) / (sqrt(v' / (1 - accBeta2)) + eps)) * -lr + value
 * (1 - beta) and -lr are rounded to float32 by the caller, as tfjs' scalars are.
 */
#include "simd-math.h"

INLINE void adam_step(v128_t value, v128_t m, v128_t v, v128_t g, v128_t *newValue, v128_t *newM, v128_t *newV,
                      v128_t beta1, v128_t beta2, v128_t oneMinusBeta1, v128_t oneMinusBeta2, v128_t correction1,
                      v128_t correction2, v128_t negLr, v128_t eps) {
  *newM = wasm_f32x4_add(wasm_f32x4_mul(m, beta1), wasm_f32x4_mul(g, oneMinusBeta1));
  *newV = wasm_f32x4_add(wasm_f32x4_mul(v, beta2), wasm_f32x4_mul(wasm_f32x4_mul(g, g), oneMinusBeta2));
  const v128_t mHat = wasm_f32x4_div(*newM, correction1);
  const v128_t vHat = wasm_f32x4_div(*newV, correction2);
  const v128_t step = wasm_f32x4_div(mHat, wasm_f32x4_add(wasm_f32x4_sqrt(vHat), eps));
  *newValue = wasm_f32x4_add(wasm_f32x4_mul(step, negLr), value);
}

/*
 * newValue, newM, newV = one Adam step from value, m, v and the gradient g (n floats each). accBeta1/2
 * point at the optimizer's beta^t scalars (read here, so the caller needs no sync read).
 */
EXPORT("adam_update_f32")
void adam_update_f32(const float *value, const float *m, const float *v, const float *g, const float *accBeta1,
                     const float *accBeta2, float *newValue, float *newM, float *newV, int n, float beta1,
                     float beta2, float oneMinusBeta1, float oneMinusBeta2, float negLr, float eps) {
  const v128_t b1 = wasm_f32x4_splat(beta1), b2 = wasm_f32x4_splat(beta2);
  const v128_t omb1 = wasm_f32x4_splat(oneMinusBeta1), omb2 = wasm_f32x4_splat(oneMinusBeta2);
  const v128_t c1 = wasm_f32x4_splat(1.0f - accBeta1[0]), c2 = wasm_f32x4_splat(1.0f - accBeta2[0]);
  const v128_t lr = wasm_f32x4_splat(negLr), e = wasm_f32x4_splat(eps);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t nv, nm, nvar;
    adam_step(wasm_v128_load(value + i), wasm_v128_load(m + i), wasm_v128_load(v + i), wasm_v128_load(g + i), &nv,
              &nm, &nvar, b1, b2, omb1, omb2, c1, c2, lr, e);
    wasm_v128_store(newValue + i, nv);
    wasm_v128_store(newM + i, nm);
    wasm_v128_store(newV + i, nvar);
  }
  if (i < n) {
    const int r = n - i;
    v128_t nv, nm, nvar;
    adam_step(load_partial(value + i, r, 0.0f), load_partial(m + i, r, 0.0f), load_partial(v + i, r, 0.0f),
              load_partial(g + i, r, 0.0f), &nv, &nm, &nvar, b1, b2, omb1, omb2, c1, c2, lr, e);
    store_partial(newValue + i, r, nv);
    store_partial(newM + i, r, nm);
    store_partial(newV + i, r, nvar);
  }
}
