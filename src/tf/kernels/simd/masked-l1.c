/*
 * The masked L1 loss of the instance and depth heads, forward and backward, on the tfjs heap.
 *
 * Why: as tfjs ops (sub, abs, a channel sum, a masked mean) each loss is ~8 kernels forward and ~12
 * backward over full-resolution tensors, for a handful of arithmetic per element. Here it is one pass each.
 *
 * Layout: predicted and target [pixels, C], mask [pixels] (any shape with the same elements).
 * a[p] = sum_c |predicted - target|, T = sum_p a[p] * mask[p], S = sum_p mask[p], M = max(S, 1);
 * loss = T / M, as src/model/losses.ts' maskedMean of tfjs ops computes it. Sums in float64 (per block of
 * float32 vector sums). One and two channels (depth, instance offsets) run vectorised along the flat
 * elements with the mask spread over each pixel's channels; other channel counts run scalar.
 */
#include "simd-math.h"

/* Elements per float32 block of a sum before it is added to the float64 total. */
#define SUM_BLOCK 1024

/* The mask of the pixels of elements e .. e + 3 (e a multiple of 4), for C = 1 or 2. */
INLINE v128_t spread_mask(const float *mask, int64_t e, int C) {
  if (C == 1) return wasm_v128_load(mask + e);
  const v128_t two = wasm_v128_load64_zero(mask + e / 2); /* [m0, m1, 0, 0] */
  return wasm_i32x4_shuffle(two, two, 0, 0, 1, 1);
}

INLINE float abs_f32(float d) { return __builtin_fabsf(d); }

/* T = sum |predicted - target| * mask of each element's pixel. */
static double l1_total(const float *predicted, const float *target, const float *mask, int pixels, int C) {
  double total = 0.0;
  const int64_t n = (int64_t)pixels * C;
  int64_t e = 0;
  if (C <= 2) {
    while (e + 4 <= n) {
      v128_t acc = wasm_f32x4_splat(0.0f);
      const int64_t end = e + SUM_BLOCK < n ? e + SUM_BLOCK : n;
      for (; e + 4 <= end; e += 4) {
        const v128_t d = wasm_f32x4_sub(wasm_v128_load(predicted + e), wasm_v128_load(target + e));
        acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_f32x4_abs(d), spread_mask(mask, e, C)));
      }
      total += hsum_f32x4(acc);
    }
  }
  for (; e < n; e++) total += abs_f32(predicted[e] - target[e]) * mask[e / C];
  return total;
}

/* S = sum of the mask. */
static double mask_total(const float *mask, int pixels) {
  double total = 0.0;
  int p = 0;
  while (p + 4 <= pixels) {
    v128_t acc = wasm_f32x4_splat(0.0f);
    const int end = p + SUM_BLOCK < pixels ? p + SUM_BLOCK : pixels;
    for (; p + 4 <= end; p += 4) acc = wasm_f32x4_add(acc, wasm_v128_load(mask + p));
    total += hsum_f32x4(acc);
  }
  for (; p < pixels; p++) total += mask[p];
  return total;
}

INLINE float at_least_one(double count) { return (float)count > 1.0f ? (float)count : 1.0f; }

/* loss[0] = T / max(S, 1). */
EXPORT("masked_l1_forward_f32")
void masked_l1_forward_f32(const float *predicted, const float *target, const float *mask, float *loss, int pixels,
                           int C) {
  loss[0] = (float)l1_total(predicted, target, mask, pixels, C) / at_least_one(mask_total(mask, pixels));
}

/* tfjs' abs gradient factor: 1 where d > 0, NaN where d is NaN, else -1. */
INLINE v128_t abs_sign(v128_t d) {
  const v128_t sign = wasm_v128_bitselect(wasm_f32x4_splat(1.0f), wasm_f32x4_splat(-1.0f), wasm_f32x4_gt(d, wasm_f32x4_splat(0.0f)));
  return wasm_v128_bitselect(d, sign, wasm_f32x4_ne(d, d));
}

INLINE float abs_sign_f32(float d) { return d > 0.0f ? 1.0f : (d != d ? d : -1.0f); }

/*
 * The gradient for one input, chosen by `wrt`: 0 predicted, 1 target (both [pixels, C]), 2 mask
 * ([pixels]). With g = dloss / M: d predicted = (g * mask[p]) * sign(predicted - target) (tfjs' abs
 * gradient), d target = its negative, d mask = g * a[p] - dloss * T / M^2 where S >= 1 (the gradient of
 * tf.maximum(S, 1)).
 */
EXPORT("masked_l1_backward_f32")
void masked_l1_backward_f32(const float *predicted, const float *target, const float *mask, const float *dloss,
                            float *out, int pixels, int C, int wrt) {
  const double count = mask_total(mask, pixels);
  const float m = at_least_one(count);
  const float g = dloss[0] / m;
  if (wrt == 2) {
    const float total = (float)l1_total(predicted, target, mask, pixels, C);
    const float fromCount = (float)count >= 1.0f ? -dloss[0] * total / (m * m) : 0.0f;
    for (int p = 0; p < pixels; p++) {
      float a = 0.0f;
      for (int c = 0; c < C; c++) a += abs_f32(predicted[(int64_t)p * C + c] - target[(int64_t)p * C + c]);
      out[p] = g * a + fromCount;
    }
    return;
  }
  const float direction = wrt == 1 ? -1.0f : 1.0f;
  const int64_t n = (int64_t)pixels * C;
  int64_t e = 0;
  if (C <= 2) {
    const v128_t vg = wasm_f32x4_splat(g), vdirection = wasm_f32x4_splat(direction);
    for (; e + 4 <= n; e += 4) {
      const v128_t d = wasm_f32x4_sub(wasm_v128_load(predicted + e), wasm_v128_load(target + e));
      const v128_t gm = wasm_f32x4_mul(vg, spread_mask(mask, e, C));
      wasm_v128_store(out + e, wasm_f32x4_mul(vdirection, wasm_f32x4_mul(gm, abs_sign(d))));
    }
  }
  for (; e < n; e++) out[e] = direction * ((g * mask[e / C]) * abs_sign_f32(predicted[e] - target[e]));
}
