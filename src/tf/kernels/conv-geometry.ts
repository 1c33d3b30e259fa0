/**
 * Pure index arithmetic that turns the two convolution gradients into forward convolutions.
 *
 * Notation for one spatial dimension of a forward convolution: input length `inSize`, output length
 * `outSize`, filter length `k`, stride `s`, zero padding `padBefore` (what tfjs calls top/left).
 * The forward pass reads `y[o] = sum_t x[o*s + t - padBefore] * w[t]`.
 */

/**
 * One output phase of the input gradient: the rows `i = q*stride + phase` of dx are a stride-1 correlation
 * of dy with a sub-filter made of the taps `taps` (filter indices, already in correlation order).
 */
export interface BackpropInputPhase {
  /** Which residue class `i mod stride` of dx this phase produces. */
  phase: number;
  /** Filter indices of the sub-filter, in the order the correlation applies them; empty = phase is zero. */
  taps: number[];
  /** First and one-past-last row of dy that the correlation reads (dy is sliced to this range). */
  dySliceStart: number;
  dySliceEnd: number;
  /** Zero padding before and after the sliced dy, so that the correlation yields `rows` outputs. */
  padBefore: number;
  padAfter: number;
  /** Number of output rows, the same for every phase: `ceil(inSize / stride)`; rows past inSize are cropped. */
  rows: number;
}

/**
 * Splits the input gradient of a strided convolution into `stride` phases, each a plain stride-1
 * correlation of dy with a sub-filter (the "sub-pixel" decomposition). Unlike the textbook
 * "insert zeros into dy, then convolve" this does no multiplication by zero, so it runs at the speed of
 * the forward convolution.
 *
 * Derivation: dx[i] = sum over (o, t) with o*s + t - p = i of dy[o] * w[t]. For i = q*s + r only taps with
 * t = k0 + j*s, k0 = (r + p) mod s, contribute, at o = q + c - j with c = (r + p - k0) / s. Flipping the tap
 * order (m = M-1-j) gives a correlation: dx_r[q] = sum_m dy[q + c - (M-1) + m] * w[k0 + (M-1-m)*s].
 */
export function backpropInputPhases(
  inSize: number,
  outSize: number,
  k: number,
  stride: number,
  padBefore: number,
): BackpropInputPhase[] {
  const rows = Math.ceil(inSize / stride);
  const phases: BackpropInputPhase[] = [];
  for (let phase = 0; phase < stride; phase++) {
    const k0 = mod(phase + padBefore, stride);
    const tapCount = k0 < k ? Math.ceil((k - k0) / stride) : 0;
    const taps = Array.from({ length: tapCount }, (_, m) => k0 + (tapCount - 1 - m) * stride);
    const c = (phase + padBefore - k0) / stride;
    // Correlation reads dy[q - before + m] for q in [0, rows), m in [0, tapCount).
    const before = tapCount - 1 - c;
    const after = rows + tapCount - 1 - outSize - before;
    const dySliceStart = Math.max(0, -before);
    const dySliceEnd = outSize - Math.max(0, -after);
    phases.push({
      phase,
      taps: dySliceEnd > dySliceStart ? taps : [],
      dySliceStart,
      dySliceEnd,
      padBefore: Math.max(0, before),
      padAfter: Math.max(0, after),
      rows,
    });
  }
  return phases;
}

/**
 * Geometry of the filter gradient computed as a forward convolution of the transposed input with dy as
 * the filter, dilated by the forward stride: dW[t] = sum_o x[o*s + t - p] * dy[o].
 * The padded input must be exactly `(outSize-1)*s + k` long so that the result has `k` taps; when the
 * forward padding overshoots, the input is cropped to `inputRows` instead of padding less than zero.
 */
export interface BackpropFilterGeometry {
  padBefore: number;
  padAfter: number;
  /** How many input rows the correlation reads (`inSize` unless the tail is never read). */
  inputRows: number;
}

/** Computes {@link BackpropFilterGeometry} for one spatial dimension. */
export function backpropFilterGeometry(
  inSize: number,
  outSize: number,
  k: number,
  stride: number,
  padBefore: number,
): BackpropFilterGeometry {
  const padAfter = (outSize - 1) * stride + k - inSize - padBefore;
  return padAfter >= 0
    ? { padBefore, padAfter, inputRows: inSize }
    : { padBefore, padAfter: 0, inputRows: inSize + padAfter };
}

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

/**
 * Checks that the tensors of a conv gradient agree with the geometry computed from its attributes: dy has
 * exactly the forward output's shape, and the input's channels are the filter's input channels.
 * tfjs-core checks neither for these kernels (e.g. a `conv2dTranspose` with a mismatched `outputShape`),
 * and the gradients index their buffers by the geometry, so a mismatch must stop them before they read or
 * write past a tensor.
 */
export function assertGradientShapes(
  kernel: string,
  expected: { outShape: readonly number[]; inChannels: number },
  dyShape: readonly number[],
  filterInChannels: number,
): void {
  if (dyShape.length !== 4 || dyShape.some((size, axis) => size !== expected.outShape[axis])) {
    throw new Error(
      `${kernel}: dy has shape [${dyShape.join(', ')}], the convolution's output is [${expected.outShape.join(', ')}]`,
    );
  }
  if (filterInChannels !== expected.inChannels) {
    throw new Error(
      `${kernel}: the filter has ${filterInChannels} input channels, the input has ${expected.inChannels}`,
    );
  }
}
