/*
 * Convolution gradients as wasm SIMD kernels that work in place on the tfjs wasm backend's heap.
 *
 * Why hand-written: built from XNNPACK's forward convolution, the filter gradient needs the whole input
 * transposed first (batch into the channel axis; the wasm Transpose costs up to a third of the forward
 * conv) and, for the 3-channel stem, both gradients become GEMMs with 3 or 27 rows, a fraction of
 * XNNPACK's tiles. Here the filter gradient streams x and dy once per output row in their NHWC layout
 * with a 3 x 16 register tile, and the input gradient of few-channel layers is one GEMM per dy row
 * vectorised along the patch axis (kH*kW*inC), then col2im.
 *
 * Layout (tfjs, NHWC): x [batch, inH, inW, inC], dy [batch, outH, outW, outC], w / dw [kH, kW, inC, outC].
 * Forward: y[n, oh, ow, co] = sum x[n, oh*sH + kh - padTop, ow*sW + kw - padLeft, ci] * w[kh, kw, ci, co].
 *
 * Rules this file keeps so that it can share memory with tfjs (build.sh checks the first two):
 * - no shadow stack and no data segment: nothing is address-taken, there are no static tables; the
 *   module's own memory is tfjs' memory, imported, so any such write would land in a tfjs tensor;
 * - no libc: zero fills compile to `memory.fill` (bulk memory);
 * - every read and write stays inside the tensors (and scratch) that the caller passes.
 *
 * Build: src/tf/kernels/simd/build.sh (clang 14, wasm32, -msimd128 -mbulk-memory).
 */
#include <stdint.h>
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(name)))
#define INLINE static inline __attribute__((always_inline))

/* -------------------------------------------------------------------------------------------------- */
/* Filter gradient: dw[kh, kw, ci, co] = sum_{n, oh, ow} x[n, ih, iw, ci] * dy[n, oh, ow, co].          */
/* -------------------------------------------------------------------------------------------------- */

/* Register tile of the filter gradient: up to 3 input channels x up to 4 vectors (16) of out channels.
 * 12 accumulators + 4 dy vectors fit the 16 SIMD registers that V8 has on x64 and arm64. */
#define FILTER_TILE_CI 3
#define FILTER_TILE_VECTORS 4

/*
 * Adds sum_i x[i*xStep + c] * dy[i*dyStep + 4v + lane] to tile[c*outC + 4v + lane] for i < count:
 * one output row of one tap for a (ci, co) tile. CI and NV are compile-time constants after inlining.
 */
INLINE void filter_tile(const float *x, int xStep, const float *dy, int dyStep, int count, float *tile,
                        int outC, const int CI, const int NV) {
  v128_t acc[FILTER_TILE_CI][FILTER_TILE_VECTORS];
  for (int c = 0; c < CI; c++)
    for (int v = 0; v < NV; v++) acc[c][v] = wasm_v128_load(tile + c * outC + 4 * v);
  for (int i = 0; i < count; i++) {
    v128_t d[FILTER_TILE_VECTORS];
    for (int v = 0; v < NV; v++) d[v] = wasm_v128_load(dy + 4 * v);
    for (int c = 0; c < CI; c++) {
      const v128_t s = wasm_v128_load32_splat(x + c);
      for (int v = 0; v < NV; v++) acc[c][v] = wasm_f32x4_add(acc[c][v], wasm_f32x4_mul(s, d[v]));
    }
    x += xStep;
    dy += dyStep;
  }
  for (int c = 0; c < CI; c++)
    for (int v = 0; v < NV; v++) wasm_v128_store(tile + c * outC + 4 * v, acc[c][v]);
}

/* The last outC % 4 channels of a tile, in scalars: CI x R <= 3 x 3 accumulators. */
INLINE void filter_tile_tail(const float *x, int xStep, const float *dy, int dyStep, int count,
                             float *tile, int outC, const int CI, const int R) {
  float acc[FILTER_TILE_CI][3];
  for (int c = 0; c < CI; c++)
    for (int r = 0; r < R; r++) acc[c][r] = tile[c * outC + r];
  for (int i = 0; i < count; i++) {
    for (int c = 0; c < CI; c++)
      for (int r = 0; r < R; r++) acc[c][r] += x[c] * dy[r];
    x += xStep;
    dy += dyStep;
  }
  for (int c = 0; c < CI; c++)
    for (int r = 0; r < R; r++) tile[c * outC + r] = acc[c][r];
}

/*
 * Every (CI, NV) vector tile and (CI, R) scalar tail as its own function with constant trip counts, so that
 * the accumulators live in registers. The lists generate both the functions and the dispatch switches
 * (a switch rather than a table of function pointers: a table would be a data segment).
 */
#define FILTER_TILES(X)                                                                                 \
  X(1, 1) X(1, 2) X(1, 3) X(1, 4) X(2, 1) X(2, 2) X(2, 3) X(2, 4) X(3, 1) X(3, 2) X(3, 3) X(3, 4)
#define FILTER_TAILS(X) X(1, 1) X(1, 2) X(1, 3) X(2, 1) X(2, 2) X(2, 3) X(3, 1) X(3, 2) X(3, 3)
#define FILTER_ARGS                                                                                     \
  const float *x, int xStep, const float *dy, int dyStep, int count, float *tile, int outC
#define FILTER_CALL_ARGS x, xStep, dy, dyStep, count, tile, outC

#define DEFINE_TILE(CI, NV)                                                                             \
  static void filter_tile_##CI##_##NV(FILTER_ARGS) { filter_tile(FILTER_CALL_ARGS, CI, NV); }
#define DEFINE_TAIL(CI, R)                                                                              \
  static void filter_tail_##CI##_##R(FILTER_ARGS) { filter_tile_tail(FILTER_CALL_ARGS, CI, R); }
FILTER_TILES(DEFINE_TILE)
FILTER_TAILS(DEFINE_TAIL)

/* Runs the tile of `ci` input channels x `nv` vectors of out channels. */
INLINE void run_filter_tile(int ci, int nv, FILTER_ARGS) {
#define CASE(CI, NV)                                                                                    \
  case CI * 8 + NV:                                                                                     \
    filter_tile_##CI##_##NV(FILTER_CALL_ARGS);                                                          \
    return;
  switch (ci * 8 + nv) { FILTER_TILES(CASE) }
#undef CASE
}

/* Runs the scalar tail of `ci` input channels x `r` (< 4) out channels. */
INLINE void run_filter_tail(int ci, int r, FILTER_ARGS) {
#define CASE(CI, R)                                                                                     \
  case CI * 8 + R:                                                                                      \
    filter_tail_##CI##_##R(FILTER_CALL_ARGS);                                                           \
    return;
  switch (ci * 8 + r) { FILTER_TAILS(CASE) }
#undef CASE
}

/* First output index o with o*stride + offset >= 0, and one past the last with o*stride + offset < size. */
INLINE int first_inside(int offset, int stride) {
  return offset >= 0 ? 0 : (-offset + stride - 1) / stride;
}
INLINE int end_inside(int offset, int stride, int size, int outSize) {
  if (size - 1 - offset < 0) return 0;
  const int end = (size - 1 - offset) / stride + 1;
  return end < outSize ? end : outSize;
}

/*
 * dw = filter gradient of a stride (sH, sW), dilation 1 convolution, any channel counts.
 * Loops output rows outermost so that one row of dy (and the kH rows of x it meets) stays in L1 while
 * every tap and tile reads it; the tile accumulators go through dw between rows.
 */
EXPORT("conv2d_backprop_filter_f32")
void conv2d_backprop_filter_f32(const float *x, const float *dy, float *dw, int batch, int inH, int inW,
                                int inC, int outH, int outW, int outC, int kH, int kW, int sH, int sW,
                                int padTop, int padLeft) {
  const int filterSize = kH * kW * inC * outC;
  for (int i = 0; i < filterSize; i++) dw[i] = 0.0f;
  for (int n = 0; n < batch; n++) {
    for (int oh = 0; oh < outH; oh++) {
      const float *dyRow = dy + ((int64_t)n * outH + oh) * outW * outC;
      for (int kh = 0; kh < kH; kh++) {
        const int ih = oh * sH + kh - padTop;
        if (ih < 0 || ih >= inH) continue;
        const float *xRow = x + ((int64_t)n * inH + ih) * inW * inC;
        for (int kw = 0; kw < kW; kw++) {
          const int offset = kw - padLeft;
          const int owBegin = first_inside(offset, sW);
          const int owEnd = end_inside(offset, sW, inW, outW);
          if (owEnd <= owBegin) continue;
          const float *xTap = xRow + (owBegin * sW + offset) * inC;
          const float *dyTap = dyRow + owBegin * outC;
          float *dwTap = dw + (kh * kW + kw) * inC * outC;
          for (int ci = 0; ci < inC; ci += FILTER_TILE_CI) {
            const int tileCi = inC - ci < FILTER_TILE_CI ? inC - ci : FILTER_TILE_CI;
            int co = 0;
            for (; co + 4 <= outC; co += 4 * FILTER_TILE_VECTORS) {
              const int tileVectors =
                  (outC - co) / 4 < FILTER_TILE_VECTORS ? (outC - co) / 4 : FILTER_TILE_VECTORS;
              run_filter_tile(tileCi, tileVectors, xTap + ci, sW * inC, dyTap + co, outC,
                              owEnd - owBegin, dwTap + ci * outC + co, outC);
            }
            co = outC / 4 * 4;
            if (co < outC)
              run_filter_tail(tileCi, outC - co, xTap + ci, sW * inC, dyTap + co, outC,
                              owEnd - owBegin, dwTap + ci * outC + co, outC);
          }
        }
      }
    }
  }
}

/* -------------------------------------------------------------------------------------------------- */
/* Input gradient: dx[n, ih, iw, ci] = sum_{kh, kw, co} dy[n, oh, ow, co] * w[kh, kw, ci, co].          */
/* -------------------------------------------------------------------------------------------------- */

/* Up to 8 vectors (32 values) of the patch axis k = (kh*kW + kw)*inC + ci per pass over a pixel. */
#define PATCH_TILE_VECTORS 8

/*
 * cols[k] = sum_co dy[co] * wT[co*kPad + k] for the 4*KV values of k at `wT`: one pixel's patch
 * (the GEMM half of GEMM + col2im), vectorised along k so the few input channels cost nothing extra.
 */
INLINE void patch_tile(const float *dy, int outC, const float *wT, int kPad, float *cols, const int KV) {
  v128_t acc[PATCH_TILE_VECTORS];
  for (int j = 0; j < KV; j++) acc[j] = wasm_f32x4_splat(0.0f);
  for (int co = 0; co < outC; co++) {
    const v128_t s = wasm_v128_load32_splat(dy + co);
    const float *wRow = wT + co * kPad;
    for (int j = 0; j < KV; j++)
      acc[j] = wasm_f32x4_add(acc[j], wasm_f32x4_mul(s, wasm_v128_load(wRow + 4 * j)));
  }
  for (int j = 0; j < KV; j++) wasm_v128_store(cols + 4 * j, acc[j]);
}

/* Patches of `count` consecutive pixels: cols[p*kPad + k], k in [k0, k0 + 4*KV), one function per KV. */
#define PATCH_TILES(X) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8)
#define DEFINE_PATCH_ROW(KV)                                                                            \
  static void patch_row_##KV(const float *dy, int outC, const float *wT, int kPad, float *cols,        \
                             int count) {                                                               \
    for (int p = 0; p < count; p++) patch_tile(dy + p * outC, outC, wT, kPad, cols + p * kPad, KV);    \
  }
PATCH_TILES(DEFINE_PATCH_ROW)

INLINE void run_patch_row(int kv, const float *dy, int outC, const float *wT, int kPad, float *cols,
                          int count) {
#define CASE(KV)                                                                                        \
  case KV:                                                                                              \
    patch_row_##KV(dy, outC, wT, kPad, cols, count);                                                    \
    return;
  switch (kv) { PATCH_TILES(CASE) }
#undef CASE
}

/* to[i] += from[i] for i < count. */
INLINE void add_run(float *to, const float *from, int count) {
  int i = 0;
  for (; i + 4 <= count; i += 4)
    wasm_v128_store(to + i, wasm_f32x4_add(wasm_v128_load(to + i), wasm_v128_load(from + i)));
  for (; i < count; i++) to[i] += from[i];
}

/* Number of floats of scratch that conv2d_backprop_input_f32 needs. */
EXPORT("conv2d_backprop_input_scratch_floats")
int conv2d_backprop_input_scratch_floats(int inC, int outW, int outC, int kH, int kW) {
  const int kPad = (kH * kW * inC + 3) / 4 * 4;
  return kPad * (outC + outW);
}

/*
 * dx = input gradient of a stride (sH, sW), dilation 1 convolution with filter w, as one GEMM per row of
 * dy (patches of all its pixels: [outW, K] = dy_row [outW, outC] x w^T [outC, K], K = kH*kW*inC) followed
 * by col2im, which adds each patch back onto the inC-channel pixels it came from.
 * `scratch` holds conv2d_backprop_input_scratch_floats(...) floats: w^T padded to kPad, then the patches.
 */
EXPORT("conv2d_backprop_input_f32")
void conv2d_backprop_input_f32(const float *dy, const float *w, float *dx, float *scratch, int batch,
                               int inH, int inW, int inC, int outH, int outW, int outC, int kH, int kW,
                               int sH, int sW, int padTop, int padLeft) {
  const int k = kH * kW * inC;
  const int kPad = (k + 3) / 4 * 4;
  float *wT = scratch;
  float *cols = scratch + kPad * outC;
  for (int co = 0; co < outC; co++) {
    for (int i = 0; i < k; i++) wT[co * kPad + i] = w[i * outC + co];
    for (int i = k; i < kPad; i++) wT[co * kPad + i] = 0.0f;
  }
  const int64_t dxSize = (int64_t)batch * inH * inW * inC;
  for (int64_t i = 0; i < dxSize; i++) dx[i] = 0.0f;

  for (int n = 0; n < batch; n++) {
    for (int oh = 0; oh < outH; oh++) {
      const float *dyRow = dy + ((int64_t)n * outH + oh) * outW * outC;
      for (int k0 = 0; k0 < kPad; k0 += 4 * PATCH_TILE_VECTORS) {
        const int kv = (kPad - k0) / 4 < PATCH_TILE_VECTORS ? (kPad - k0) / 4 : PATCH_TILE_VECTORS;
        run_patch_row(kv, dyRow, outC, wT + k0, kPad, cols + k0, outW);
      }
      for (int kh = 0; kh < kH; kh++) {
        const int ih = oh * sH + kh - padTop;
        if (ih < 0 || ih >= inH) continue;
        float *dxRow = dx + ((int64_t)n * inH + ih) * inW * inC;
        /* The kW taps of one patch row land on kW consecutive pixels of dx: one contiguous run. */
        for (int ow = 0; ow < outW; ow++) {
          const int left = ow * sW - padLeft;
          const int kwBegin = left < 0 ? -left : 0;
          const int kwEnd = inW - left < kW ? inW - left : kW;
          if (kwEnd <= kwBegin) continue;
          add_run(dxRow + (left + kwBegin) * inC, cols + ow * kPad + (kh * kW + kwBegin) * inC,
                  (kwEnd - kwBegin) * inC);
        }
      }
    }
  }
}
