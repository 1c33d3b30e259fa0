/*
 * The masked L1 loss of the instance and depth heads, forward and backward, on the tfjs heap.
 *
 * Why: as tfjs ops (sub, abs, a channel sum, a masked mean) each loss is ~8 kernels forward and ~12
 * backward over full-resolution tensors, for a handful of arithmetic per element. Here it is one pass each.
 *
 * Layout: predicted and target [pixels, C], mask [pixels] (any shape with the same elements).
 * a[p] = sum_c |predicted - target|, T = sum_p a[p] * mask[p], S = sum_p mask[p], M = max(S, 1);
 * loss = T / M, as src/model/losses.ts' maskedMean of tfjs ops computes it. Sums in float64.
 */
#include "simd-math.h"

/* sum_c |predicted - target| of one pixel. */
INLINE float pixel_l1(const float *predicted, const float *target, int C) {
  float a = 0.0f;
  for (int c = 0; c < C; c++) {
    const float d = predicted[c] - target[c];
    a += d < 0.0f ? -d : d;
  }
  return a;
}

/* totals[0] = T, totals[1] = S (float64, for the backward's mask gradient). */
INLINE void l1_totals(const float *predicted, const float *target, const float *mask, int pixels, int C,
                      double *total, double *count) {
  double t = 0.0, s = 0.0;
  for (int p = 0; p < pixels; p++) {
    const int64_t at = (int64_t)p * C;
    t += (double)(pixel_l1(predicted + at, target + at, C) * mask[p]);
    s += mask[p];
  }
  *total = t;
  *count = s;
}

/* loss[0] = T / max(S, 1). */
EXPORT("masked_l1_forward_f32")
void masked_l1_forward_f32(const float *predicted, const float *target, const float *mask, float *loss, int pixels,
                           int C) {
  double total, count;
  l1_totals(predicted, target, mask, pixels, C, &total, &count);
  const float m = (float)count > 1.0f ? (float)count : 1.0f;
  loss[0] = (float)total / m;
}

/*
 * The gradient for one input, chosen by `wrt`: 0 predicted, 1 target (both [pixels, C]), 2 mask
 * ([pixels]). With g = dloss / M: d predicted = g * mask[p] * sign(predicted - target) (tfjs' abs gradient:
 * -1 at 0, NaN at NaN), d target = its negative, d mask = g * a[p] - dloss * T / M^2 where S >= 1 (the
 * gradient of tf.maximum(S, 1)).
 */
EXPORT("masked_l1_backward_f32")
void masked_l1_backward_f32(const float *predicted, const float *target, const float *mask, const float *dloss,
                            float *out, int pixels, int C, int wrt) {
  double total, count;
  l1_totals(predicted, target, mask, pixels, C, &total, &count);
  const float m = (float)count > 1.0f ? (float)count : 1.0f;
  const float g = dloss[0] / m;
  if (wrt == 2) {
    const float fromCount = (float)count >= 1.0f ? -dloss[0] * (float)total / (m * m) : 0.0f;
    for (int p = 0; p < pixels; p++) {
      const int64_t at = (int64_t)p * C;
      out[p] = g * pixel_l1(predicted + at, target + at, C) + fromCount;
    }
    return;
  }
  const float direction = wrt == 1 ? -1.0f : 1.0f;
  for (int p = 0; p < pixels; p++) {
    const float gm = g * mask[p];
    for (int c = 0; c < C; c++) {
      const int64_t i = (int64_t)p * C + c;
      const float d = predicted[i] - target[i];
      const float sign = d > 0.0f ? 1.0f : (d != d ? d : -1.0f);
      out[i] = direction * (gm * sign);
    }
  }
}
