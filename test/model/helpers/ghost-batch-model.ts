import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { shardSizes } from '../../../src/model/replicas/shards.js';
import { tf } from '../../../src/tf/index.js';

/**
 * `model` with batch norm over shards ("ghost batch norm"): `apply` runs the network on each replica's
 * shard of the batch (the same cut as the replicas) and concatenates the outputs, so the losses over the
 * concatenation are the whole batch's. One process training this equals N data-parallel replicas with
 * per-replica batch-norm statistics, up to float summation order: the reference of the replica tests.
 * (Its moving statistics are updated once per shard, the replicas' once per step: compare trainable
 * weights only.)
 */
export function ghostBatchModel(model: LayersModel, replicas: number): LayersModel {
  const apply = (input: Tensor, kwargs?: Record<string, unknown>): Tensor[] => {
    const sizes = shardSizes(input.shape[0]!, replicas).filter((size) => size > 0);
    const parts = tf.split(input, sizes, 0);
    const outputs = parts.map((part) => [model.apply(part, kwargs) as Tensor | Tensor[]].flat());
    return outputs[0]!.map((_, head) =>
      tf.concat(
        outputs.map((o) => o[head]!),
        0,
      ),
    );
  };
  return new Proxy(model, {
    get(target, property) {
      if (property === 'apply') return apply;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
