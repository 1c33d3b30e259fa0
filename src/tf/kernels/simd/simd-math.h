/*
 * Shared helpers of the training kernels (batch-norm.c, softmax-cross-entropy.c, adam.c): vector exp, a
 * scalar log, partial-vector loads and stores, horizontal reductions.
 *
 * No libc (the module must not carry a data segment or use the shadow stack; see build.sh), so exp and log
 * are written out here: Cephes' single-precision polynomials (S. Moshier), about 1 ulp on the ranges used.
 */
#ifndef SIMD_MATH_H
#define SIMD_MATH_H

#include <stdint.h>
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(name)))
#define INLINE static inline __attribute__((always_inline))

/* ln(2) split in a part exact in float and the rest (Cephes), for the range reduction of exp and log. */
#define LN2_HI 0.693359375f
#define LN2_LO -2.12194440e-4f

/*
 * e^x for four lanes. Below -87.34 (e^x under the smallest normal float) the result is exactly 0, so
 * -INFINITY lanes (the padding of partial vectors) add nothing to a sum; above 88 it saturates at e^88.
 * NaN stays NaN.
 */
INLINE v128_t exp_f32x4(v128_t x) {
  const v128_t underflow = wasm_f32x4_lt(x, wasm_f32x4_splat(-87.33654f));
  /* pmax/pmin with x first keep a NaN x (and are one instruction, unlike the NaN-propagating max/min). */
  x = wasm_f32x4_pmin(wasm_f32x4_pmax(x, wasm_f32x4_splat(-87.33654f)), wasm_f32x4_splat(88.0f));
  const v128_t n = wasm_f32x4_nearest(wasm_f32x4_mul(x, wasm_f32x4_splat(1.44269504088896341f)));
  v128_t r = wasm_f32x4_sub(x, wasm_f32x4_mul(n, wasm_f32x4_splat(LN2_HI)));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(n, wasm_f32x4_splat(LN2_LO)));
  v128_t p = wasm_f32x4_splat(1.9875691500e-4f);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.3981999507e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(8.3334519073e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(4.1665795894e-2f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.6666665459e-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(5.0000001201e-1f));
  p = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_mul(p, r), r), r), wasm_f32x4_splat(1.0f));
  /*
   * 2^n as a float: n + 127 in the exponent bits (n is an integer in [-126, 127] after the clamp). Adding
   * 1.5 * 2^23 puts n in the low mantissa bits (cheaper than a saturating float-to-int conversion).
   */
  const v128_t shifted = wasm_f32x4_add(n, wasm_f32x4_splat(12582912.0f));
  const v128_t scale =
      wasm_i32x4_shl(wasm_i32x4_sub(shifted, wasm_i32x4_splat(0x4b400000 - 127)), 23);
  return wasm_v128_andnot(wasm_f32x4_mul(p, scale), underflow);
}

/* ln(x) for a positive, finite, normal x (the softmax sums: from 1 to the number of classes). */
INLINE float log_f32(float x) {
  uint32_t bits = __builtin_bit_cast(uint32_t, x);
  int e = (int)(bits >> 23) - 126;
  float m = __builtin_bit_cast(float, (bits & 0x007fffffu) | 0x3f000000u); /* in [0.5, 1) */
  if (m < 0.70710678118654752f) {
    e -= 1;
    m = m + m - 1.0f;
  } else {
    m = m - 1.0f;
  }
  const float z = m * m;
  float y = 7.0376836292e-2f;
  y = y * m - 1.1514610310e-1f;
  y = y * m + 1.1676998740e-1f;
  y = y * m - 1.2420140846e-1f;
  y = y * m + 1.4249322787e-1f;
  y = y * m - 1.6668057665e-1f;
  y = y * m + 2.0000714765e-1f;
  y = y * m - 2.4999993993e-1f;
  y = y * m + 3.3333331174e-1f;
  y = y * m * z;
  const float fe = (float)e;
  y += fe * LN2_LO;
  y += -0.5f * z;
  return m + y + fe * LN2_HI;
}

/* ln(x) for four positive, finite, normal lanes: log_f32's polynomial, lane-wise. */
INLINE v128_t log_f32x4(v128_t x) {
  const v128_t exponent = wasm_i32x4_sub(wasm_u32x4_shr(x, 23), wasm_i32x4_splat(126));
  v128_t m = wasm_v128_or(wasm_v128_and(x, wasm_i32x4_splat(0x007fffff)), wasm_i32x4_splat(0x3f000000));
  const v128_t small = wasm_f32x4_lt(m, wasm_f32x4_splat(0.70710678118654752f));
  /* m + m - 1 where small, else m - 1; the exponent one less where small. */
  m = wasm_f32x4_add(wasm_f32x4_sub(m, wasm_f32x4_splat(1.0f)), wasm_v128_and(m, small));
  const v128_t fe = wasm_f32x4_sub(wasm_f32x4_convert_i32x4(exponent), wasm_v128_and(wasm_f32x4_splat(1.0f), small));
  const v128_t z = wasm_f32x4_mul(m, m);
  v128_t y = wasm_f32x4_splat(7.0376836292e-2f);
  y = wasm_f32x4_sub(wasm_f32x4_mul(y, m), wasm_f32x4_splat(1.1514610310e-1f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, m), wasm_f32x4_splat(1.1676998740e-1f));
  y = wasm_f32x4_sub(wasm_f32x4_mul(y, m), wasm_f32x4_splat(1.2420140846e-1f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, m), wasm_f32x4_splat(1.4249322787e-1f));
  y = wasm_f32x4_sub(wasm_f32x4_mul(y, m), wasm_f32x4_splat(1.6668057665e-1f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, m), wasm_f32x4_splat(2.0000714765e-1f));
  y = wasm_f32x4_sub(wasm_f32x4_mul(y, m), wasm_f32x4_splat(2.4999993993e-1f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, m), wasm_f32x4_splat(3.3333331174e-1f));
  y = wasm_f32x4_mul(wasm_f32x4_mul(y, m), z);
  y = wasm_f32x4_add(y, wasm_f32x4_mul(fe, wasm_f32x4_splat(LN2_LO)));
  y = wasm_f32x4_add(y, wasm_f32x4_mul(wasm_f32x4_splat(-0.5f), z));
  return wasm_f32x4_add(wasm_f32x4_add(m, y), wasm_f32x4_mul(fe, wasm_f32x4_splat(LN2_HI)));
}

/* [max(a), max(b), max(c), max(d)] of four vectors (a 4x4 transpose-reduce). */
INLINE v128_t hmax4_f32x4(v128_t a, v128_t b, v128_t c, v128_t d) {
  const v128_t ab = wasm_f32x4_max(wasm_i32x4_shuffle(a, b, 0, 4, 1, 5), wasm_i32x4_shuffle(a, b, 2, 6, 3, 7));
  const v128_t cd = wasm_f32x4_max(wasm_i32x4_shuffle(c, d, 0, 4, 1, 5), wasm_i32x4_shuffle(c, d, 2, 6, 3, 7));
  return wasm_f32x4_max(wasm_i32x4_shuffle(ab, cd, 0, 1, 4, 5), wasm_i32x4_shuffle(ab, cd, 2, 3, 6, 7));
}

/* [sum(a), sum(b), sum(c), sum(d)] of four vectors. */
INLINE v128_t hsum4_f32x4(v128_t a, v128_t b, v128_t c, v128_t d) {
  const v128_t ab = wasm_f32x4_add(wasm_i32x4_shuffle(a, b, 0, 4, 1, 5), wasm_i32x4_shuffle(a, b, 2, 6, 3, 7));
  const v128_t cd = wasm_f32x4_add(wasm_i32x4_shuffle(c, d, 0, 4, 1, 5), wasm_i32x4_shuffle(c, d, 2, 6, 3, 7));
  return wasm_f32x4_add(wasm_i32x4_shuffle(ab, cd, 0, 1, 4, 5), wasm_i32x4_shuffle(ab, cd, 2, 3, 6, 7));
}

/* The `count` (1 to 3) floats at p in the first lanes, `fill` in the others. */
INLINE v128_t load_partial(const float *p, int count, float fill) {
  switch (count) {
  case 1:
    return wasm_f32x4_make(p[0], fill, fill, fill);
  case 2:
    return wasm_f32x4_make(p[0], p[1], fill, fill);
  default:
    return wasm_f32x4_make(p[0], p[1], p[2], fill);
  }
}

/* Stores the first `count` (1 to 3) lanes of v at p. */
INLINE void store_partial(float *p, int count, v128_t v) {
  p[0] = wasm_f32x4_extract_lane(v, 0);
  if (count > 1) p[1] = wasm_f32x4_extract_lane(v, 1);
  if (count > 2) p[2] = wasm_f32x4_extract_lane(v, 2);
}

/* The largest lane (NaN if any lane is NaN). */
INLINE float hmax_f32x4(v128_t v) {
  v = wasm_f32x4_max(v, wasm_i32x4_shuffle(v, v, 2, 3, 0, 1));
  v = wasm_f32x4_max(v, wasm_i32x4_shuffle(v, v, 1, 0, 3, 2));
  return wasm_f32x4_extract_lane(v, 0);
}

/* The sum of the lanes. */
INLINE float hsum_f32x4(v128_t v) {
  v = wasm_f32x4_add(v, wasm_i32x4_shuffle(v, v, 2, 3, 0, 1));
  v = wasm_f32x4_add(v, wasm_i32x4_shuffle(v, v, 1, 0, 3, 2));
  return wasm_f32x4_extract_lane(v, 0);
}

/* Rounds a pointer up to 8 bytes, for the float64 accumulators kept in float32 scratch tensors. */
INLINE double *align_f64(float *p) {
  return (double *)(((uintptr_t)p + 7u) & ~(uintptr_t)7u);
}

#endif
