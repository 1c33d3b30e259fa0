/**
 * How a batch is cut into the replicas' shares (shards), and the per-task factors that make the mean of
 * the replicas' gradients equal the gradient of the whole batch's loss.
 *
 * Every task loss is a mean over the pixels its mask lets in (`losses.ts`: labelled pixels, instance pixels,
 * valid disparities), so the batch's loss is not the mean of the shards' losses when the shards hold
 * different numbers of such pixels. With n_k the pixels of shard k, n their sum and A the replicas that
 * hold samples, replica k minimises its loss times `A * n_k / n`: the mean over replicas of those scaled
 * losses is exactly the batch's loss, and so is the mean of their gradients (the weighting strategies
 * combine task losses affinely, so this holds for the weighted total and the log-variances too).
 *
 * @packageDocumentation
 */
import type { Tensor } from '@tensorflow/tfjs';
import type { SceneBatch } from '../../data/batch.js';
import { tf } from '../../tf/index.js';
import { IGNORE_LABEL } from '../losses.js';
import type { PerTask, Task } from '../tasks.js';

/** The tensors of a {@link SceneBatch}, each with the batch on axis 0. */
export const BATCH_TENSOR_FIELDS = [
  'images',
  'labels',
  'offsets',
  'offsetMask',
  'disparity',
  'disparityMask',
] as const;

/** One tensor field of a {@link SceneBatch}. */
export type BatchTensorField = (typeof BATCH_TENSOR_FIELDS)[number];

/** A tensor's values on the host, as they cross to a replica thread. */
export interface HostTensor {
  data: Float32Array | Int32Array;
  shape: number[];
  dtype: 'float32' | 'int32';
}

/** A batch, or a replica's share of one, on the host: the fields of a {@link SceneBatch} it carries. */
export interface HostShard {
  size: number;
  names: string[];
  flipped: boolean[];
  tensors: Partial<Record<BatchTensorField, HostTensor>>;
}

/**
 * Samples of each replica's shard: contiguous, the first `batchSize % replicas` one larger. A replica
 * gets 0 when the batch has fewer samples than there are replicas.
 */
export function shardSizes(batchSize: number, replicas: number): number[] {
  const base = Math.floor(batchSize / replicas);
  const larger = batchSize % replicas;
  return Array.from({ length: replicas }, (_, k) => base + (k < larger ? 1 : 0));
}

/** The batch's tensors read back to the host (one copy of each). */
export function readBatch(batch: SceneBatch): HostShard {
  const tensors: HostShard['tensors'] = {};
  for (const field of BATCH_TENSOR_FIELDS) {
    const tensor = batch[field] as Tensor | undefined;
    if (tensor === undefined) continue;
    const dtype = tensor.dtype === 'int32' ? 'int32' : 'float32';
    const data = tensor.dataSync();
    tensors[field] = {
      data: data instanceof Int32Array || data instanceof Float32Array ? data : Float32Array.from(data),
      shape: [...tensor.shape],
      dtype,
    };
  }
  return { size: batch.size, names: batch.names, flipped: batch.flipped, tensors };
}

/**
 * Samples `start .. start + size` of a host batch: copied (`copy`, so that they can be transferred to a
 * thread) or views of the batch's arrays.
 */
export function sliceShard(host: HostShard, start: number, size: number, copy = true): HostShard {
  const tensors: HostShard['tensors'] = {};
  for (const [field, tensor] of Object.entries(host.tensors) as [BatchTensorField, HostTensor][]) {
    const perSample = elementsPerSample(tensor.shape);
    const [from, to] = [start * perSample, (start + size) * perSample];
    tensors[field] = {
      data: copy ? tensor.data.slice(from, to) : tensor.data.subarray(from, to),
      shape: [size, ...tensor.shape.slice(1)],
      dtype: tensor.dtype,
    };
  }
  return {
    size,
    names: host.names.slice(start, start + size),
    flipped: host.flipped.slice(start, start + size),
    tensors,
  };
}

/** A host shard as tensors (owned by the caller: dispose with `disposeBatch`). */
export function shardToBatch(shard: HostShard): SceneBatch {
  const batch: Record<string, unknown> = { size: shard.size, names: shard.names, flipped: shard.flipped };
  for (const [field, tensor] of Object.entries(shard.tensors) as [BatchTensorField, HostTensor][]) {
    batch[field] = tf.tensor(tensor.data, tensor.shape, tensor.dtype);
  }
  return batch as unknown as SceneBatch;
}

/**
 * Pixels each task's loss averages over in samples `start .. start + size` (the normalisers of
 * `losses.ts`: labelled pixels, the instance mask's sum, the disparity mask's sum).
 */
export function taskPixelCounts(
  host: HostShard,
  tasks: readonly Task[],
  start: number,
  size: number,
): PerTask<number> {
  const counts: PerTask<number> = {};
  for (const task of tasks) {
    const field: BatchTensorField =
      task === 'segmentation' ? 'labels' : task === 'instances' ? 'offsetMask' : 'disparityMask';
    const tensor = host.tensors[field];
    if (tensor === undefined) throw new Error(`batch has no ${field}, which the model's tasks need`);
    const perSample = elementsPerSample(tensor.shape);
    const values = tensor.data;
    const [from, to] = [start * perSample, (start + size) * perSample];
    let count = 0;
    // Indexed loops: for-of over a typed array of a million elements is several times slower.
    if (task === 'segmentation') {
      for (let i = from; i < to; i++) if (values[i] !== IGNORE_LABEL) count++;
    } else {
      for (let i = from; i < to; i++) count += values[i]!;
    }
    counts[task] = count;
  }
  return counts;
}

/**
 * Each replica's loss factors `A * n_k / max(n, 1)` (see the module's description), from each replica's
 * pixel counts; replicas from `active` on hold no sample and get 0.
 */
export function lossScales(counts: readonly PerTask<number>[], active: number, tasks: readonly Task[]) {
  const totals = Object.fromEntries(
    tasks.map((task) => [task, counts.slice(0, active).reduce((sum, c) => sum + (c[task] ?? 0), 0)]),
  ) as PerTask<number>;
  return counts.map((c, k) =>
    Object.fromEntries(
      tasks.map((task) => [
        task,
        k < active ? (active * (c[task] ?? 0)) / Math.max(totals[task] ?? 0, 1) : 0,
      ]),
    ),
  ) as PerTask<number>[];
}

function elementsPerSample(shape: readonly number[]): number {
  return shape.slice(1).reduce((a, b) => a * b, 1);
}
