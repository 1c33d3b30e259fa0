/*
 * The gradient of bilinear resize (tfjs' ResizeBilinearGrad, without half-pixel centres) as a separable
 * wasm SIMD kernel on the tfjs heap.
 *
 * Why: the network's heads upsample 4x to full resolution, and tfjs-wasm's gradient is a scalar loop that
 * scatters every dy element into four pixels (~10 ns an element: 4% of a step at 128x256). Bilinear
 * interpolation is separable: here each dy row is added, weighted, into the width-domain rows of its two
 * source rows (one vector loop over the whole row), and a source row, once no later dy row can reach it,
 * is scattered along the width into dx (per-pixel work, vectorised over channels, once per source row
 * instead of once per dy row). (The forward, the same separation the other way, measured no faster than
 * tfjs' own kernel, which is bound by writing its output; it stays stock.)
 *
 * Layout NHWC. Source coordinate of output row r: r * scaleH (scaleH = effective in / out height, with
 * align-corners using size - 1); top = floor, bottom = min(ceil, inH - 1), weight of bottom = the fraction;
 * the same along the width. This is tfjs' (and TensorFlow's) definition without half-pixel centres.
 */
#include "simd-math.h"

/* The two source indices and the weight of the second for destination index `o` (o * scale >= 0). */
INLINE void source_of(int o, float scale, int size, int *first, int *second, float *fraction) {
  const float at = (float)o * scale;
  const int floor = (int)at;
  const int ceil = at > (float)floor ? floor + 1 : floor;
  *first = floor;
  *second = ceil < size - 1 ? ceil : size - 1;
  *fraction = at - (float)floor;
}

/* to[i] += from[i] * w for i < n (to does not alias from). */
INLINE void axpy_run(float *to, const float *from, float w, int n) {
  const v128_t vw = wasm_f32x4_splat(w);
  int i = 0;
  for (; i + 4 <= n; i += 4)
    wasm_v128_store(to + i, wasm_f32x4_add(wasm_v128_load(to + i), wasm_f32x4_mul(wasm_v128_load(from + i), vw)));
  if (i < n && n >= 4) {
    /* The last 4 again, overlapping, adding 0 in the lanes already done. */
    const int done = 4 - (n - i);
    const v128_t keep = wasm_i32x4_gt(wasm_i32x4_make(0, 1, 2, 3), wasm_i32x4_splat(done - 1));
    const v128_t add = wasm_v128_and(wasm_f32x4_mul(wasm_v128_load(from + n - 4), vw), keep);
    wasm_v128_store(to + n - 4, wasm_f32x4_add(wasm_v128_load(to + n - 4), add));
  } else {
    for (; i < n; i++) to[i] += from[i] * w;
  }
}

/* dxRow [inW, C] += the width-gradient of a resized row `acc` [outW, C]. */
static void scatter_row(float *dxRow, const float *acc, int inW, int outW, int C, float scaleW) {
  for (int c = 0; c < outW; c++) {
    int left, right;
    float fc;
    source_of(c, scaleW, inW, &left, &right, &fc);
    axpy_run(dxRow + left * C, acc + c * C, 1.0f - fc, C);
    axpy_run(dxRow + right * C, acc + c * C, fc, C);
  }
}

/* Floats of scratch that the kernel needs: two rows of the output's width. */
EXPORT("resize_bilinear_scratch_floats")
int resize_bilinear_scratch_floats(int outW, int C) { return 2 * outW * C; }

/* dx [batch, inH, inW, C] = gradient of the bilinear resize of x [batch, inH, inW, C] for dy [batch, outH, outW, C]. */
EXPORT("resize_bilinear_grad_f32")
void resize_bilinear_grad_f32(const float *dy, float *dx, float *scratch, int batch, int inH, int inW, int outH,
                              int outW, int C, float scaleH, float scaleW) {
  const int inRow = inW * C, outRow = outW * C;
  const int64_t dxSize = (int64_t)batch * inH * inRow;
  for (int64_t i = 0; i < dxSize; i++) dx[i] = 0.0f;
  for (int n = 0; n < batch; n++) {
    float *image = dx + (int64_t)n * inH * inRow;
    /* Width-domain gradients of source rows `first` and `first + 1`, not yet scattered into dx. */
    float *accA = scratch, *accB = scratch + outRow;
    int first = 0, usedA = 0, usedB = 0;
    for (int i = 0; i < 2 * outRow; i++) scratch[i] = 0.0f;
    for (int r = 0; r < outH; r++) {
      int top, bottom;
      float fr;
      source_of(r, scaleH, inH, &top, &bottom, &fr);
      /* Rows above `top` get nothing from later dy rows (top never decreases): scatter them. */
      while (first < top) {
        if (usedA) scatter_row(image + (int64_t)first * inRow, accA, inW, outW, C, scaleW);
        float *t = accA;
        accA = accB;
        accB = t;
        usedA = usedB;
        usedB = 0;
        for (int i = 0; i < outRow; i++) accB[i] = 0.0f;
        first++;
      }
      const float *row = dy + ((int64_t)n * outH + r) * outRow;
      axpy_run(accA, row, 1.0f - fr, outRow);
      usedA = 1;
      if (bottom != top) {
        axpy_run(accB, row, fr, outRow);
        usedB = 1;
      } else {
        axpy_run(accA, row, fr, outRow);
      }
    }
    if (usedA) scatter_row(image + (int64_t)first * inRow, accA, inW, outW, C, scaleW);
    if (usedB) scatter_row(image + (int64_t)(first + 1) * inRow, accB, inW, outW, C, scaleW);
  }
}
