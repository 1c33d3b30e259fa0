import type { LayersModel } from '@tensorflow/tfjs';
import { tf } from '../tfjs.js';
import { BatchedTimeDistributed } from './batched-time-distributed.js';
import { FusedBatchNormalization } from './fused-batch-normalization.js';
import { ReLUAfterBatchNorm } from './relu-after-batch-norm.js';

type Registered = Parameters<typeof tf.serialization.SerializationMap.register>[0];

/**
 * The project's layer classes by the stock class name they serialise as: what a model.json names, and
 * what this project builds for it in training.
 */
const PROJECT_CLASSES: Record<string, Registered> = {
  BatchNormalization: FusedBatchNormalization as unknown as Registered,
  ReLU: ReLUAfterBatchNorm as unknown as Registered,
  TimeDistributed: BatchedTimeDistributed as unknown as Registered,
};

/**
 * Builds a model from a model.json topology with the project's layer classes (fused batch norm, the ReLU
 * that passes its output through, the batched TimeDistributed) where `tf.models.modelFromJSON` would build
 * tfjs' own, and turns on the fused ReLU of every batch norm whose only consumer is a ReLU: the same
 * layers as `buildNetwork` made, so a copy of the network trains at the same speed as the original.
 *
 * Why: a stock BatchNormalization trains through ~25 tfjs kernels per layer instead of two fused ones, so
 * a replica thread that rebuilt the network from its topology took 1.6x as long per sample as replica 0.
 * The registry holds the project's classes only while this model is built; its entries are then put back
 * as they were (tfjs' own classes, except 'TimeDistributed', for which `selectBackend` has already
 * registered the batched one). Not re-entrant: two calls overlapping across the await would restore each
 * other's entries (a replica thread calls it once).
 *
 * @param topology - A model's `toJSON(null, false)` (the `modelTopology` of its model.json).
 */
export async function modelWithProjectLayers(topology: object): Promise<LayersModel> {
  const registry = tf.serialization.SerializationMap.getMap().classNameMap;
  const stock = Object.fromEntries(Object.keys(PROJECT_CLASSES).map((name) => [name, registry[name]]));
  let model: LayersModel;
  try {
    for (const cls of Object.values(PROJECT_CLASSES)) tf.serialization.SerializationMap.register(cls);
    model = await tf.models.modelFromJSON({ modelTopology: topology as never });
  } finally {
    for (const [name, entry] of Object.entries(stock)) {
      if (entry === undefined) delete registry[name];
      else registry[name] = entry;
    }
  }
  for (const layer of model.layers) {
    if (!(layer instanceof FusedBatchNormalization)) continue;
    const consumers = layer.outboundNodes.map((node) => node.outboundLayer);
    if (consumers.length === 1 && consumers[0] instanceof ReLUAfterBatchNorm) {
      (layer as { relu: boolean }).relu = true;
    }
  }
  return model;
}
