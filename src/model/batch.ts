import type { Tensor3D, Tensor4D } from '@tensorflow/tfjs';

/**
 * One training or validation batch, as the trainer consumes it. Targets are present for the tasks the
 * dataset provides. The consumer disposes every tensor of a batch once it is done with it.
 */
export interface SceneBatch {
  /** [B, H, W, 3] normalised RGB. */
  images: Tensor4D;
  /** [B, H, W] int32 train ids, 255 = ignore. */
  labels?: Tensor3D;
  /** [B, H, W, 2] offsets (dx, dy) in pixels from each pixel to its instance's centroid. */
  offsets?: Tensor4D;
  /** [B, H, W, 1] 1 on thing-instance pixels. */
  offsetMask?: Tensor4D;
  /** [B, H, W, 1] disparity in pixels. */
  disparity?: Tensor4D;
  /** [B, H, W, 1] 1 where the disparity is valid. */
  disparityMask?: Tensor4D;
}

/**
 * Where the trainer gets its data. `train(epoch, fromStep)` must yield the same batches for the same
 * arguments (seeded shuffle and augmentation per epoch): that is what makes a resumed run equal an
 * uninterrupted one.
 */
export interface BatchSource {
  /** Batches per training epoch. */
  readonly stepsPerEpoch: number;
  /** The training batches of `epoch` (0-based), starting at batch `fromStep`. */
  train(epoch: number, fromStep: number): AsyncIterable<SceneBatch>;
  /** The validation batches, in a fixed order, without augmentation. */
  validation(): AsyncIterable<SceneBatch>;
}

/** Disposes every tensor of a batch. */
export function disposeBatch(batch: SceneBatch): void {
  for (const tensor of Object.values(batch)) (tensor as Tensor4D | undefined)?.dispose();
}
