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
