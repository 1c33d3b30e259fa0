/*
 * Softmax cross-entropy over pixels with an ignore label, forward and backward, as wasm SIMD kernels on the
 * tfjs heap.
 *
 * Why: as tfjs ops (logSoftmax, oneHot, a masked mean) the loss and its gradient are ~20 kernels over the
 * full-resolution logits, and tfjs-wasm's Exp is a scalar std::exp loop at ~7 ns an element. Here the
 * forward is one pass (per pixel: max, sum of exps, log) that keeps only the log-sum-exp of each pixel,
 * and the backward one pass that recomputes the softmax from it: d = softmax * w - onehot * w.
 *
 * Layout: logits [pixels, C] (classes last), labels [pixels] int32.
 * loss = sum over labelled pixels of (lse - logits[label]) / max(labelled, 1), where a pixel is labelled
 * when its label is not `ignore`; a label outside [0, C) (and not `ignore`) counts as labelled with a
 * zero one-hot row, exactly as tf.oneHot makes it.
 */
#include "simd-math.h"

/* Lane-wise maxima over one pixel's C classes (reduce the lanes for the pixel's largest logit). */
INLINE v128_t pixel_max_lanes(const float *l, int C) {
  v128_t m = wasm_f32x4_splat(-__builtin_inff());
  int c = 0;
  for (; c + 4 <= C; c += 4) m = wasm_f32x4_max(m, wasm_v128_load(l + c));
  if (c < C) m = wasm_f32x4_max(m, load_partial(l + c, C - c, -__builtin_inff()));
  return m;
}

/* Lane-wise sums of exp(l[c] - shift) over one pixel's C classes. */
INLINE v128_t pixel_exp_lanes(const float *l, int C, v128_t shift) {
  v128_t s = wasm_f32x4_splat(0.0f);
  int c = 0;
  for (; c + 4 <= C; c += 4) s = wasm_f32x4_add(s, exp_f32x4(wasm_f32x4_sub(wasm_v128_load(l + c), shift)));
  if (c < C)
    s = wasm_f32x4_add(s, exp_f32x4(wasm_f32x4_sub(load_partial(l + c, C - c, -__builtin_inff()), shift)));
  return s;
}

/* log(sum_c exp(l[c])) of one pixel, shifted by its max for range. */
INLINE float pixel_log_sum_exp(const float *l, int C) {
  const float max = hmax_f32x4(pixel_max_lanes(l, C));
  return max + log_f32(hsum_f32x4(pixel_exp_lanes(l, C, wasm_f32x4_splat(max))));
}

/*
 * log-sum-exp of four consecutive pixels at once: their maxima, sums and logs as vectors of the four, so
 * that the reductions and the log, a long chain of dependent operations for one pixel, overlap.
 */
INLINE v128_t four_log_sum_exp(const float *l, int C) {
  const v128_t max = hmax4_f32x4(pixel_max_lanes(l, C), pixel_max_lanes(l + C, C), pixel_max_lanes(l + 2 * C, C),
                                 pixel_max_lanes(l + 3 * C, C));
  const v128_t sums = hsum4_f32x4(pixel_exp_lanes(l, C, wasm_i32x4_shuffle(max, max, 0, 0, 0, 0)),
                                  pixel_exp_lanes(l + C, C, wasm_i32x4_shuffle(max, max, 1, 1, 1, 1)),
                                  pixel_exp_lanes(l + 2 * C, C, wasm_i32x4_shuffle(max, max, 2, 2, 2, 2)),
                                  pixel_exp_lanes(l + 3 * C, C, wasm_i32x4_shuffle(max, max, 3, 3, 3, 3)));
  return wasm_f32x4_add(max, log_f32x4(sums));
}

/*
 * Forward: lse[p] = log-sum-exp of pixel p (what the backward needs), loss[0] = the masked mean above.
 */
EXPORT("softmax_cross_entropy_forward_f32")
void softmax_cross_entropy_forward_f32(const float *logits, const int32_t *labels, float *lse, float *loss,
                                       int pixels, int C, int ignore) {
  int p = 0;
  for (; p + 4 <= pixels; p += 4) wasm_v128_store(lse + p, four_log_sum_exp(logits + (int64_t)p * C, C));
  for (; p < pixels; p++) lse[p] = pixel_log_sum_exp(logits + (int64_t)p * C, C);
  double total = 0.0;
  int labelled = 0;
  for (p = 0; p < pixels; p++) {
    const int label = labels[p];
    if (label == ignore) continue;
    labelled++;
    if (label >= 0 && label < C) total += (double)(lse[p] - logits[(int64_t)p * C + label]);
  }
  loss[0] = (float)(total / (labelled > 0 ? labelled : 1));
}

/*
 * Backward: dlogits = softmax * (w + dlse[p]) - onehot(label) * w, with w = dloss / max(labelled, 1) on
 * labelled pixels whose label is a class and 0 elsewhere (ignored pixels, and out-of-range labels, whose
 * zero one-hot row makes their loss a constant 0); dlse is the gradient that reaches the lse output (zeros
 * when only the loss is used). The softmax is exp(logits - lse), from the forward's lse.
 */
EXPORT("softmax_cross_entropy_backward_f32")
void softmax_cross_entropy_backward_f32(const float *logits, const int32_t *labels, const float *lse,
                                        const float *dloss, const float *dlse, float *dlogits, int pixels,
                                        int C, int ignore) {
  int labelled = 0;
  for (int p = 0; p < pixels; p++) labelled += labels[p] != ignore;
  const float scale = dloss[0] / (float)(labelled > 0 ? labelled : 1);
  for (int p = 0; p < pixels; p++) {
    const int64_t at = (int64_t)p * C;
    const float *l = logits + at;
    float *d = dlogits + at;
    const int label = labels[p];
    /* Labelled, and with a one-hot row: a zero row (label out of range) has loss 0 and gradient 0. */
    const int hot = label != ignore && label >= 0 && label < C;
    const float w = hot ? scale : 0.0f;
    const v128_t shift = wasm_f32x4_splat(lse[p]);
    const v128_t weight = wasm_f32x4_splat(w + dlse[p]);
    int c = 0;
    for (; c + 4 <= C; c += 4)
      wasm_v128_store(d + c, wasm_f32x4_mul(exp_f32x4(wasm_f32x4_sub(wasm_v128_load(l + c), shift)), weight));
    if (c < C) {
      const v128_t e = exp_f32x4(wasm_f32x4_sub(load_partial(l + c, C - c, -__builtin_inff()), shift));
      store_partial(d + c, C - c, wasm_f32x4_mul(e, weight));
    }
    if (hot) d[label] -= w;
  }
}
