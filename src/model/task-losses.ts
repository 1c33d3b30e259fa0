import type { Scalar, Tensor } from '@tensorflow/tfjs';
import type { SceneBatch } from '../data/batch.js';
import { depthLoss, instanceLoss, segmentationLoss } from './losses.js';
import type { PerTask, Task } from './tasks.js';

/**
 * The raw loss of every task from the network's outputs (one per task, in `tasks` order) and a batch's
 * targets. Called inside a tidy/gradient scope; the returned scalars belong to it.
 *
 * @throws Error when the batch lacks the targets of a task the model predicts.
 */
export function taskLosses(
  outputs: readonly Tensor[],
  tasks: readonly Task[],
  batch: SceneBatch,
): PerTask<Scalar> {
  const losses: PerTask<Scalar> = {};
  tasks.forEach((task, i) => {
    const output = outputs[i]!;
    switch (task) {
      case 'segmentation':
        losses.segmentation = segmentationLoss(output, required(batch.labels, 'labels'));
        break;
      case 'instances':
        losses.instances = instanceLoss(
          output,
          required(batch.offsets, 'offsets'),
          required(batch.offsetMask, 'offsetMask'),
        );
        break;
      case 'depth':
        losses.depth = depthLoss(
          output,
          required(batch.disparity, 'disparity'),
          required(batch.disparityMask, 'disparityMask'),
        );
        break;
    }
  });
  return losses;
}

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`batch has no ${name}, which the model's tasks need`);
  return value;
}
