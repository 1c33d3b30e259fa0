/**
 * Pure index arithmetic for the data-movement kernels (Transpose, Unpack, Tile): row-major strides and the
 * reduction of a transpose to the fewest axes.
 */

/** Row-major strides of `shape`, in elements. */
export function rowMajorStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride *= shape[axis]!;
  }
  return strides;
}

/** A transpose: input shape and permutation (output axis i is input axis perm[i]). */
export interface TransposeLayout {
  shape: number[];
  perm: number[];
}

/**
 * The same transpose on the fewest axes: size-1 axes dropped, and input axes that stay neighbours, in the
 * same order, in the output merged into one. E.g. [8, 4, 4, 8, 64] with perm [1, 0, 2, 3, 4] becomes
 * [8, 4, 2048] with perm [1, 0, 2]: blocks of 2048 contiguous elements to move instead of single ones.
 * An identity permutation comes back as one axis (or none for a single element).
 */
export function simplifyTranspose(shape: readonly number[], perm: readonly number[]): TransposeLayout {
  const kept = shape.map((size, axis) => (size === 1 ? -1 : axis)).filter((axis) => axis >= 0);
  const renumber = new Map(kept.map((axis, index) => [axis, index]));
  const keptPerm = perm.filter((axis) => shape[axis] !== 1).map((axis) => renumber.get(axis)!);
  const keptShape = kept.map((axis) => shape[axis]!);

  // Runs of consecutive input axes, in output order.
  const runs: number[][] = [];
  for (const axis of keptPerm) {
    const last = runs.at(-1);
    if (last !== undefined && last.at(-1)! + 1 === axis) last.push(axis);
    else runs.push([axis]);
  }
  const byInputOrder = [...runs].sort((a, b) => a[0]! - b[0]!);
  return {
    shape: byInputOrder.map((run) => run.reduce((size, axis) => size * keptShape[axis]!, 1)),
    perm: runs.map((run) => byInputOrder.indexOf(run)),
  };
}

/** One axis of a strided view: its length and its step in the underlying buffer, in elements. */
export interface StridedAxis {
  size: number;
  stride: number;
}

/**
 * A slice (`begin`, `size` per axis of `shape`) as strided block copies: element offset of its first
 * element, the length of the contiguous block at the end, and the axes of blocks around it (outermost
 * first), each merged with its neighbours where their strides allow. E.g. channels 16..48 of
 * [8, 32, 64, 80] is one axis of 16384 blocks of 32 elements with stride 80.
 */
export function sliceLayout(
  shape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
): { start: number; block: number; axes: StridedAxis[] } {
  const strides = rowMajorStrides(shape);
  const start = begin.reduce((sum, b, axis) => sum + b * strides[axis]!, 0);
  const axes = size
    .map((length, axis) => ({ size: length, stride: strides[axis]!, full: length === shape[axis] }))
    .filter((axis) => axis.size !== 1);
  let block = 1;
  while (axes.length > 0 && axes.at(-1)!.stride === block) {
    const inner = axes.pop()!;
    block *= inner.size;
    if (!inner.full) break;
  }
  const merged: StridedAxis[] = [];
  for (const axis of axes) {
    const last = merged.at(-1);
    // An outer axis whose step is exactly the extent of the inner one continues it.
    if (last !== undefined && last.stride === axis.size * axis.stride) {
      merged[merged.length - 1] = { size: last.size * axis.size, stride: axis.stride };
    } else {
      merged.push({ size: axis.size, stride: axis.stride });
    }
  }
  return { start, block, axes: merged };
}
