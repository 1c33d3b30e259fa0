/*
 * Strided block copies on the tfjs heap, for the data-movement kernels (Concat, Slice, SplitV).
 *
 * Why: tfjs-wasm's Concat and Slice copy each contiguous block with `set(subarray(...))` (an object per
 * block), and its Slice first copies the whole input out of the heap (`readSync`); the concat of the
 * network's decoders and its gradient's split move channel runs of 16-64 floats, so that overhead is most
 * of their time. Here a block is a few vector loads and stores, and long blocks one `memory.copy`.
 */
#include "simd-math.h"

/* From this many bytes a block is one memory.copy (a call into the runtime) rather than a vector loop. */
#define MEMORY_COPY_BYTES 512

INLINE void copy_block(uint8_t *dst, const uint8_t *src, int bytes) {
  if (bytes >= MEMORY_COPY_BYTES) {
    __builtin_memcpy(dst, src, (unsigned long)bytes);
    return;
  }
  int i = 0;
  for (; i + 16 <= bytes; i += 16) wasm_v128_store(dst + i, wasm_v128_load(src + i));
  for (; i + 4 <= bytes; i += 4) __builtin_memcpy(dst + i, src + i, 4);
  for (; i < bytes; i++) dst[i] = src[i];
}

/*
 * Copies `count` blocks of `bytes` bytes: block i from src + i * srcStride to dst + i * dstStride (strides
 * in bytes). Source and destination blocks must not overlap.
 */
EXPORT("copy_blocks")
void copy_blocks(uint8_t *dst, int dstStride, const uint8_t *src, int srcStride, int count, int bytes) {
  for (int i = 0; i < count; i++) copy_block(dst + (int64_t)i * dstStride, src + (int64_t)i * srcStride, bytes);
}
