/**
 * Bilinear enlargement of a small channels-last float map (a network head) to an image's size, one output
 * row at a time, so that a full-size float copy never has to exist.
 */
import { assertImageSize, assertInteger, assertLength } from './validate.js';

/** Where output position `i` samples the source: two neighbours and the single-precision weight of the second. */
export interface SampleTaps {
  lo: Int32Array;
  hi: Int32Array;
  frac: Float32Array;
}

const f32 = Math.fround;

/**
 * Source neighbours of each output position for a resize from `srcSize` to `dstSize` with half-pixel
 * centres and no corner alignment, the geometry of `tf.image.resizeBilinear(x, size, false, true)`: output
 * `i` looks at `(i + 0.5) * srcSize / dstSize - 0.5`, clamped to the border. Computed in single precision
 * exactly as XNNPACK (tfjs' wasm kernel) does, so that the enlarged maps are those tfjs gives to the bit.
 *
 * @throws ValidationError when a size is not a positive integer.
 */
export function halfPixelTaps(srcSize: number, dstSize: number): SampleTaps {
  assertInteger('srcSize', srcSize, 1);
  assertInteger('dstSize', dstSize, 1);
  const scale = f32(srcSize / dstSize);
  const offset = f32(f32(0.5 * scale) - 0.5);
  const last = srcSize - 1;
  const lo = new Int32Array(dstSize);
  const hi = new Int32Array(dstSize);
  const frac = new Float32Array(dstSize);
  for (let i = 0; i < dstSize; i++) {
    const source = Math.min(Math.max(f32(f32(i * scale) + offset), 0), last);
    const floor = Math.trunc(source);
    lo[i] = floor;
    hi[i] = Math.min(floor + 1, last);
    frac[i] = source - floor;
  }
  return { lo, hi, frac };
}

/**
 * Row source of a bilinearly enlarged map: {@link BilinearRows.row} writes output row `y` (`width *
 * channels` floats). Each source row is interpolated horizontally once (kept for the output rows that
 * share it), then two such rows are blended vertically, in single precision and in the order of tfjs'
 * wasm kernel: `top + (bottom - top) * fy` with `top = tl + (tr - tl) * fx`. Memory: the taps and two
 * output-width rows, never the output.
 */
export class BilinearRows {
  private readonly xs: SampleTaps;
  private readonly ys: SampleTaps;
  /** Two source rows interpolated to the output width, and which source rows they are (-1 = none). */
  private readonly cached: [Float32Array, Float32Array];
  private readonly cachedRow: [number, number] = [-1, -1];

  /**
   * @param source - `srcHeight * srcWidth * channels` values, channels last.
   * @throws ValidationError when a size is not a positive integer or `source` has the wrong length.
   */
  constructor(
    private readonly source: Float32Array,
    readonly srcHeight: number,
    readonly srcWidth: number,
    readonly channels: number,
    readonly height: number,
    readonly width: number,
  ) {
    const pixels = assertImageSize(srcHeight, srcWidth);
    assertImageSize(height, width);
    assertInteger('channels', channels, 1);
    assertLength('source', source, pixels * channels, 'srcHeight * srcWidth * channels');
    this.xs = halfPixelTaps(srcWidth, width);
    this.ys = halfPixelTaps(srcHeight, height);
    this.cached = [new Float32Array(width * channels), new Float32Array(width * channels)];
  }

  /**
   * Writes output row `y` into `out` (at least `width * channels` long), channels last.
   *
   * @throws RangeError when `y` is outside the output.
   */
  row(y: number, out: Float32Array): void {
    if (!Number.isInteger(y) || y < 0 || y >= this.height) {
      throw new RangeError(`row ${y} is outside 0..${this.height - 1}`);
    }
    const topRow = this.ys.lo[y]!;
    const top = this.horizontal(topRow, -1);
    const bottom = this.horizontal(this.ys.hi[y]!, topRow);
    const fy = this.ys.frac[y]!;
    const n = this.width * this.channels;
    for (let i = 0; i < n; i++) {
      const t = top[i]!;
      out[i] = t + f32(f32(bottom[i]! - t) * fy);
    }
  }

  /**
   * Source row `sourceRow` interpolated to the output width, from the two-row cache when there; otherwise
   * computed into the slot that does not hold row `keep` (the lower-numbered one when neither does: rows
   * are mostly asked for in ascending order).
   */
  private horizontal(sourceRow: number, keep: number): Float32Array {
    const [first, second] = this.cachedRow;
    if (first === sourceRow) return this.cached[0];
    if (second === sourceRow) return this.cached[1];
    const evict = first === keep ? 1 : second === keep ? 0 : first <= second ? 0 : 1;
    const target = this.cached[evict];
    this.cachedRow[evict] = sourceRow;
    const { source, channels } = this;
    const base = sourceRow * this.srcWidth * channels;
    const { lo, hi, frac } = this.xs;
    for (let x = 0, o = 0; x < this.width; x++) {
      const left = base + lo[x]! * channels;
      const right = base + hi[x]! * channels;
      const fx = frac[x]!;
      for (let c = 0; c < channels; c++, o++) {
        const l = source[left + c]!;
        target[o] = l + f32(f32(source[right + c]! - l) * fx);
      }
    }
    return target;
  }
}
