/*
 * Batch normalisation for training, forward and backward, and for inference, as wasm SIMD kernels on the
 * tfjs heap.
 *
 * Why: tfjs computes the training-mode moments, the normalisation and their gradients as ~25 separate
 * kernels per layer (means, squares, broadcasts, the gradient's per-channel sums through transposes and
 * reductions), each a full pass over the activations. Here the forward is two passes (statistics, then
 * normalise with an optional ReLU) and the backward two (per-channel sums, then dx).
 *
 * Layout: channels last, x [pixels, C] (any NHWC tensor flattened), per-channel vectors [C].
 * Forward: mean = E[x], variance = E[(x - mean)^2] (biased, as tf.moments), inv = 1 / sqrt(variance + eps),
 * scale = gamma * inv, y = (x - mean) * scale + beta, then max(y, 0) when relu is set.
 *
 * The statistics are accumulated per block of pixels: within a block in float32 (the block's mean, then
 * the squared deviations from it, reading the block again from L1), and the blocks are combined in
 * float64 with Chan et al.'s pairwise update, so neither a long sum nor a large mean loses precision.
 *
 * Same rules as conv-gradients.c: no shadow stack, no data segment, no libc (build.sh checks).
 */
#include "simd-math.h"

/* Floats of x per block: 16 KiB, so the second read of a block comes from L1. */
#define BLOCK_FLOATS 4096
/* Pixels per block at least, so that wide layers still spread the float64 work of a block over many. */
#define MIN_BLOCK_PIXELS 32

INLINE int block_pixels(int channels) {
  const int pixels = BLOCK_FLOATS / channels;
  return pixels < MIN_BLOCK_PIXELS ? MIN_BLOCK_PIXELS : pixels;
}

/* Floats of scratch that the forward and the backward kernels need for `channels` channels. */
EXPORT("batch_norm_scratch_floats")
int batch_norm_scratch_floats(int channels) { return 10 * channels + 2; }

/* Merges a block of n pixels (mean bmean, squared deviations bm2) into the running statistics of `seen`. */
INLINE void combine(double *mean, double *m2, double seen, double n, double bmean, double bm2) {
  const double total = seen + n;
  const double delta = bmean - *mean;
  *mean += delta * n / total;
  *m2 += bm2 + delta * delta * seen * n / total;
}

/* The block's statistics of one lane: mean mu + t / n, squared deviations q - t^2 / n (t: rounding of mu). */
INLINE void combine_lane(double *mean, double *m2, double seen, double n, float mu, float t, float q) {
  combine(mean, m2, seen, n, (double)mu + (double)t / n, (double)q - (double)t * (double)t / n);
}

INLINE void combine_lanes(double *mean, double *m2, double seen, double n, v128_t mu, v128_t t, v128_t q) {
  combine_lane(mean + 0, m2 + 0, seen, n, wasm_f32x4_extract_lane(mu, 0), wasm_f32x4_extract_lane(t, 0),
               wasm_f32x4_extract_lane(q, 0));
  combine_lane(mean + 1, m2 + 1, seen, n, wasm_f32x4_extract_lane(mu, 1), wasm_f32x4_extract_lane(t, 1),
               wasm_f32x4_extract_lane(q, 1));
  combine_lane(mean + 2, m2 + 2, seen, n, wasm_f32x4_extract_lane(mu, 2), wasm_f32x4_extract_lane(t, 2),
               wasm_f32x4_extract_lane(q, 2));
  combine_lane(mean + 3, m2 + 3, seen, n, wasm_f32x4_extract_lane(mu, 3), wasm_f32x4_extract_lane(t, 3),
               wasm_f32x4_extract_lane(q, 3));
}

/* Statistics of n pixels of x (row stride C) for 4*NV channels, merged into mean/m2. */
INLINE void block_stats(const float *x, int C, int n, double seen, double *mean, double *m2, const int NV) {
  v128_t s[2], t[2], q[2], mu[2];
  for (int v = 0; v < NV; v++) s[v] = wasm_f32x4_splat(0.0f);
  for (int p = 0; p < n; p++)
    for (int v = 0; v < NV; v++) s[v] = wasm_f32x4_add(s[v], wasm_v128_load(x + p * C + 4 * v));
  const v128_t count = wasm_f32x4_splat((float)n);
  for (int v = 0; v < NV; v++) {
    mu[v] = wasm_f32x4_div(s[v], count);
    t[v] = q[v] = wasm_f32x4_splat(0.0f);
  }
  for (int p = 0; p < n; p++) {
    for (int v = 0; v < NV; v++) {
      const v128_t d = wasm_f32x4_sub(wasm_v128_load(x + p * C + 4 * v), mu[v]);
      t[v] = wasm_f32x4_add(t[v], d);
      q[v] = wasm_f32x4_add(q[v], wasm_f32x4_mul(d, d));
    }
  }
  for (int v = 0; v < NV; v++) combine_lanes(mean + 4 * v, m2 + 4 * v, seen, n, mu[v], t[v], q[v]);
}

static void block_stats_1(const float *x, int C, int n, double seen, double *mean, double *m2) {
  block_stats(x, C, n, seen, mean, m2, 1);
}
static void block_stats_2(const float *x, int C, int n, double seen, double *mean, double *m2) {
  block_stats(x, C, n, seen, mean, m2, 2);
}

/* The same for one channel (the last C % 4). */
static void block_stats_scalar(const float *x, int C, int n, double seen, double *mean, double *m2) {
  float s = 0.0f;
  for (int p = 0; p < n; p++) s += x[p * C];
  const float mu = s / (float)n;
  float t = 0.0f, q = 0.0f;
  for (int p = 0; p < n; p++) {
    const float d = x[p * C] - mu;
    t += d;
    q += d * d;
  }
  combine_lane(mean, m2, seen, n, mu, t, q);
}

/* y for n pixels and 4*NV channels: (x - mean) * scale + beta, max(., 0) when relu. */
INLINE void block_normalise(const float *x, float *y, int C, int n, const float *mean, const float *scale,
                            const float *beta, int relu, const int NV) {
  v128_t m[2], s[2], b[2];
  for (int v = 0; v < NV; v++) {
    m[v] = wasm_v128_load(mean + 4 * v);
    s[v] = wasm_v128_load(scale + 4 * v);
    b[v] = wasm_v128_load(beta + 4 * v);
  }
  const v128_t zero = wasm_f32x4_splat(0.0f);
  for (int p = 0; p < n; p++) {
    for (int v = 0; v < NV; v++) {
      v128_t z = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_sub(wasm_v128_load(x + p * C + 4 * v), m[v]), s[v]), b[v]);
      if (relu) z = wasm_f32x4_max(z, zero);
      wasm_v128_store(y + p * C + 4 * v, z);
    }
  }
}

static void block_normalise_1(const float *x, float *y, int C, int n, const float *mean, const float *scale,
                              const float *beta, int relu) {
  block_normalise(x, y, C, n, mean, scale, beta, relu, 1);
}
static void block_normalise_2(const float *x, float *y, int C, int n, const float *mean, const float *scale,
                              const float *beta, int relu) {
  block_normalise(x, y, C, n, mean, scale, beta, relu, 2);
}

static void block_normalise_scalar(const float *x, float *y, int C, int n, float mean, float scale, float beta,
                                   int relu) {
  for (int p = 0; p < n; p++) {
    float z = (x[p * C] - mean) * scale + beta;
    if (relu) z = z > 0.0f ? z : 0.0f;
    y[p * C] = z;
  }
}

/* 1 / sqrt(variance + eps), computed the same way by the forward and the backward. */
INLINE float inverse_std(float variance, float eps) { return 1.0f / __builtin_sqrtf(variance + eps); }

/*
 * Forward: y, mean and variance from x [pixels, C], gamma and beta [C]. `scratch` holds
 * batch_norm_scratch_floats(C) floats.
 */
EXPORT("batch_norm_forward_f32")
void batch_norm_forward_f32(const float *x, const float *gamma, const float *beta, float *y, float *mean,
                            float *variance, float *scratch, int pixels, int C, float eps, int relu) {
  double *mean64 = align_f64(scratch);
  double *m2 = mean64 + C;
  float *scale = (float *)(m2 + C);
  for (int c = 0; c < C; c++) mean64[c] = m2[c] = 0.0;
  const int block = block_pixels(C);
  for (int p0 = 0; p0 < pixels; p0 += block) {
    const int n = pixels - p0 < block ? pixels - p0 : block;
    const float *xb = x + (int64_t)p0 * C;
    int c = 0;
    for (; c + 8 <= C; c += 8) block_stats_2(xb + c, C, n, p0, mean64 + c, m2 + c);
    for (; c + 4 <= C; c += 4) block_stats_1(xb + c, C, n, p0, mean64 + c, m2 + c);
    for (; c < C; c++) block_stats_scalar(xb + c, C, n, p0, mean64 + c, m2 + c);
  }
  for (int c = 0; c < C; c++) {
    mean[c] = pixels > 0 ? (float)mean64[c] : __builtin_nanf("");
    variance[c] = (float)(m2[c] / pixels);
    scale[c] = gamma[c] * inverse_std(variance[c], eps);
  }
  for (int p0 = 0; p0 < pixels; p0 += block) {
    const int n = pixels - p0 < block ? pixels - p0 : block;
    const int64_t at = (int64_t)p0 * C;
    int c = 0;
    for (; c + 8 <= C; c += 8)
      block_normalise_2(x + at + c, y + at + c, C, n, mean + c, scale + c, beta + c, relu);
    for (; c + 4 <= C; c += 4)
      block_normalise_1(x + at + c, y + at + c, C, n, mean + c, scale + c, beta + c, relu);
    for (; c < C; c++) block_normalise_scalar(x + at + c, y + at + c, C, n, mean[c], scale[c], beta[c], relu);
  }
}

/*
 * Inference (tfjs' FusedBatchNorm with per-channel statistics): y = (x - mean) * gamma / sqrt(variance + eps)
 * + beta for x [pixels, C] and mean, variance, beta, gamma [C]: one pass, four channels a lane. tfjs' own wasm
 * kernel finds each element's channel with a modulo and reads the four vectors per element. `scratch` holds C
 * floats (the per-channel gamma / sqrt(variance + eps)).
 */
EXPORT("batch_norm_inference_f32")
void batch_norm_inference_f32(const float *x, const float *mean, const float *variance, const float *beta,
                              const float *gamma, float *y, float *scratch, int pixels, int C, float eps) {
  float *scale = scratch;
  for (int c = 0; c < C; c++) scale[c] = gamma[c] * inverse_std(variance[c], eps);
  const int block = block_pixels(C);
  for (int p0 = 0; p0 < pixels; p0 += block) {
    const int n = pixels - p0 < block ? pixels - p0 : block;
    const int64_t at = (int64_t)p0 * C;
    int c = 0;
    for (; c + 8 <= C; c += 8) block_normalise_2(x + at + c, y + at + c, C, n, mean + c, scale + c, beta + c, 0);
    for (; c + 4 <= C; c += 4) block_normalise_1(x + at + c, y + at + c, C, n, mean + c, scale + c, beta + c, 0);
    for (; c < C; c++) block_normalise_scalar(x + at + c, y + at + c, C, n, mean[c], scale[c], beta[c], 0);
  }
}

/* -------------------------------------------------------------------------------------------------- */
/* Backward. With xhat = (x - mean) * inv and g = dy (masked by y > 0 when relu):                       */
/*   dbeta = sum g, dgamma = sum g * xhat,                                                              */
/*   dx = scale * g + B * xhat + K, B = (2 dvariance / inv - scale * dgamma) / N,                        */
/*   K = (dmean - scale * dbeta) / N (dmean, dvariance: gradients that reach the mean and variance).     */
/* -------------------------------------------------------------------------------------------------- */

/* The relu mask of the forward: the same z, so a pixel is masked exactly where y was clamped. */
INLINE v128_t masked_dy(v128_t dy, v128_t d, v128_t s, v128_t b, int relu) {
  if (!relu) return dy;
  const v128_t z = wasm_f32x4_add(wasm_f32x4_mul(d, s), b);
  return wasm_v128_and(dy, wasm_f32x4_gt(z, wasm_f32x4_splat(0.0f)));
}

INLINE void add_lanes(double *to, v128_t v) {
  to[0] += wasm_f32x4_extract_lane(v, 0);
  to[1] += wasm_f32x4_extract_lane(v, 1);
  to[2] += wasm_f32x4_extract_lane(v, 2);
  to[3] += wasm_f32x4_extract_lane(v, 3);
}

/* Per-channel sums of g and g * xhat over n pixels for 4*NV channels, added to sg and sgx. */
INLINE void block_grad_sums(const float *x, const float *dy, int C, int n, const float *mean, const float *inv,
                            const float *scale, const float *beta, int relu, double *sg, double *sgx,
                            const int NV) {
  v128_t m[2], iv[2], s[2], b[2], ag[2], agx[2];
  for (int v = 0; v < NV; v++) {
    m[v] = wasm_v128_load(mean + 4 * v);
    iv[v] = wasm_v128_load(inv + 4 * v);
    s[v] = wasm_v128_load(scale + 4 * v);
    b[v] = wasm_v128_load(beta + 4 * v);
    ag[v] = agx[v] = wasm_f32x4_splat(0.0f);
  }
  for (int p = 0; p < n; p++) {
    for (int v = 0; v < NV; v++) {
      const v128_t d = wasm_f32x4_sub(wasm_v128_load(x + p * C + 4 * v), m[v]);
      const v128_t g = masked_dy(wasm_v128_load(dy + p * C + 4 * v), d, s[v], b[v], relu);
      ag[v] = wasm_f32x4_add(ag[v], g);
      agx[v] = wasm_f32x4_add(agx[v], wasm_f32x4_mul(g, wasm_f32x4_mul(d, iv[v])));
    }
  }
  for (int v = 0; v < NV; v++) {
    add_lanes(sg + 4 * v, ag[v]);
    add_lanes(sgx + 4 * v, agx[v]);
  }
}

static void block_grad_sums_1(const float *x, const float *dy, int C, int n, const float *mean, const float *inv,
                              const float *scale, const float *beta, int relu, double *sg, double *sgx) {
  block_grad_sums(x, dy, C, n, mean, inv, scale, beta, relu, sg, sgx, 1);
}
static void block_grad_sums_2(const float *x, const float *dy, int C, int n, const float *mean, const float *inv,
                              const float *scale, const float *beta, int relu, double *sg, double *sgx) {
  block_grad_sums(x, dy, C, n, mean, inv, scale, beta, relu, sg, sgx, 2);
}

static void block_grad_sums_scalar(const float *x, const float *dy, int C, int n, float mean, float inv,
                                   float scale, float beta, int relu, double *sg, double *sgx) {
  float ag = 0.0f, agx = 0.0f;
  for (int p = 0; p < n; p++) {
    const float d = x[p * C] - mean;
    const float g = relu && !(d * scale + beta > 0.0f) ? 0.0f : dy[p * C];
    ag += g;
    agx += g * (d * inv);
  }
  *sg += ag;
  *sgx += agx;
}

/* The per-channel vectors that dx needs, as one argument list (a struct would go through the stack). */
#define DX_ARGS const float *mean, const float *inv, const float *scale, const float *beta, const float *B, const float *K
#define DX_CALL_ARGS mean, inv, scale, beta, B, K
#define DX_AT(c) mean + (c), inv + (c), scale + (c), beta + (c), B + (c), K + (c)

INLINE void block_grad_dx(const float *x, const float *dy, float *dx, int C, int n, DX_ARGS, int relu, const int NV) {
  v128_t m[2], iv[2], s[2], b[2], cb[2], ck[2];
  for (int v = 0; v < NV; v++) {
    m[v] = wasm_v128_load(mean + 4 * v);
    iv[v] = wasm_v128_load(inv + 4 * v);
    s[v] = wasm_v128_load(scale + 4 * v);
    b[v] = wasm_v128_load(beta + 4 * v);
    cb[v] = wasm_v128_load(B + 4 * v);
    ck[v] = wasm_v128_load(K + 4 * v);
  }
  for (int p = 0; p < n; p++) {
    for (int v = 0; v < NV; v++) {
      const v128_t d = wasm_f32x4_sub(wasm_v128_load(x + p * C + 4 * v), m[v]);
      const v128_t g = masked_dy(wasm_v128_load(dy + p * C + 4 * v), d, s[v], b[v], relu);
      const v128_t xhat = wasm_f32x4_mul(d, iv[v]);
      const v128_t out =
          wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(s[v], g), wasm_f32x4_mul(cb[v], xhat)), ck[v]);
      wasm_v128_store(dx + p * C + 4 * v, out);
    }
  }
}

static void block_grad_dx_1(const float *x, const float *dy, float *dx, int C, int n, DX_ARGS, int relu) {
  block_grad_dx(x, dy, dx, C, n, DX_CALL_ARGS, relu, 1);
}
static void block_grad_dx_2(const float *x, const float *dy, float *dx, int C, int n, DX_ARGS, int relu) {
  block_grad_dx(x, dy, dx, C, n, DX_CALL_ARGS, relu, 2);
}

static void block_grad_dx_scalar(const float *x, const float *dy, float *dx, int C, int n, DX_ARGS, int relu) {
  for (int p = 0; p < n; p++) {
    const float d = x[p * C] - mean[0];
    const float g = relu && !(d * scale[0] + beta[0] > 0.0f) ? 0.0f : dy[p * C];
    dx[p * C] = scale[0] * g + B[0] * (d * inv[0]) + K[0];
  }
}

/*
 * Backward: dx [pixels, C], dgamma and dbeta [C] from dy and the forward's x, gamma, beta, mean and
 * variance; dmean and dvariance are the gradients that reach the forward's mean and variance outputs
 * (zeros when only y is used). `scratch` holds batch_norm_scratch_floats(C) floats.
 */
EXPORT("batch_norm_backward_f32")
void batch_norm_backward_f32(const float *x, const float *dy, const float *gamma, const float *beta,
                             const float *mean, const float *variance, const float *dmean,
                             const float *dvariance, float *dx, float *dgamma, float *dbeta, float *scratch,
                             int pixels, int C, float eps, int relu) {
  double *sg = align_f64(scratch);
  double *sgx = sg + C;
  float *inv = (float *)(sgx + C);
  float *scale = inv + C;
  float *B = scale + C;
  float *K = B + C;
  for (int c = 0; c < C; c++) {
    sg[c] = sgx[c] = 0.0;
    inv[c] = inverse_std(variance[c], eps);
    scale[c] = gamma[c] * inv[c];
  }
  const int block = block_pixels(C);
  for (int p0 = 0; p0 < pixels; p0 += block) {
    const int n = pixels - p0 < block ? pixels - p0 : block;
    const int64_t at = (int64_t)p0 * C;
    int c = 0;
    for (; c + 8 <= C; c += 8)
      block_grad_sums_2(x + at + c, dy + at + c, C, n, mean + c, inv + c, scale + c, beta + c, relu, sg + c,
                        sgx + c);
    for (; c + 4 <= C; c += 4)
      block_grad_sums_1(x + at + c, dy + at + c, C, n, mean + c, inv + c, scale + c, beta + c, relu, sg + c,
                        sgx + c);
    for (; c < C; c++)
      block_grad_sums_scalar(x + at + c, dy + at + c, C, n, mean[c], inv[c], scale[c], beta[c], relu, sg + c,
                             sgx + c);
  }
  const double count = pixels;
  for (int c = 0; c < C; c++) {
    dbeta[c] = (float)sg[c];
    dgamma[c] = (float)sgx[c];
    B[c] = (float)((2.0 * dvariance[c] / inv[c] - (double)scale[c] * sgx[c]) / count);
    K[c] = (float)((dmean[c] - (double)scale[c] * sg[c]) / count);
  }
  for (int p0 = 0; p0 < pixels; p0 += block) {
    const int n = pixels - p0 < block ? pixels - p0 : block;
    const int64_t at = (int64_t)p0 * C;
    int c = 0;
    for (; c + 8 <= C; c += 8) block_grad_dx_2(x + at + c, dy + at + c, dx + at + c, C, n, DX_AT(c), relu);
    for (; c + 4 <= C; c += 4) block_grad_dx_1(x + at + c, dy + at + c, dx + at + c, C, n, DX_AT(c), relu);
    for (; c < C; c++) block_grad_dx_scalar(x + at + c, dy + at + c, dx + at + c, C, n, DX_AT(c), relu);
  }
}
