/**
 * Entry of a replica thread (rank 1 and up): its own tfjs backend, a copy of the network, the strategy
 * and both optimisers, kept identical to replica 0's: it starts from replica 0's state (`sync`) and then
 * applies, every step, the same mean gradient as every other replica.
 *
 * Each `step` message is handled synchronously: its shard's forward and backward pass, the all-reduce
 * through the collective (waiting for the others), the update. Whatever goes wrong in a step marks the
 * collective failed, so no replica waits for this one in vain.
 */
import { workerData } from 'node:worker_threads';
import type { LayersModel, Optimizer, Tensor } from '@tensorflow/tfjs';
import { disposeBatch } from '../../data/batch.js';
import { modelWithProjectLayers, selectBackend, tf } from '../../tf/index.js';
import { createOptimizer, createWeightingOptimizer, setLearningRate } from '../optimizers.js';
import { createStepContext } from '../trainer.js';
import type { StepContext } from '../train-step.js';
import { createWeighting } from '../weighting/index.js';
import { Collective } from './collective.js';
import type {
  FromReplica,
  ReplicaThreadData,
  StepMessage,
  SyncMessage,
  ToReplica,
} from './replica-messages.js';
import { ReplicaStepper } from './replica-stepper.js';
import { shardToBatch } from './shards.js';

const data = workerData as ReplicaThreadData;
const { rank, port } = data;
const collective = new Collective(data.collective, rank);
const stepper = new ReplicaStepper(collective);
let steps = 0;

function send(message: FromReplica): void {
  port.postMessage(message);
}

async function setUp(): Promise<{ context: StepContext; optimizers: Record<string, Optimizer> }> {
  await selectBackend(data.backend);
  // The project's layers, as replica 0's network has them (a stock batch norm would train 1.6x slower).
  const model: LayersModel = await modelWithProjectLayers(data.topology);
  const strategy = createWeighting(data.weighting, data.tasks);
  const optimizers = {
    network: createOptimizer(data.optimizer),
    weighting: createWeightingOptimizer(data.optimizer),
  };
  return { context: createStepContext(model, data.tasks, strategy, optimizers, data.optimizer), optimizers };
}

async function sync(
  message: SyncMessage,
  context: StepContext,
  optimizers: Record<string, Optimizer>,
): Promise<void> {
  // getWeights() hands out the model's own variables: read their shapes, never dispose them.
  const own = context.model.getWeights();
  if (own.length !== message.weights.length) {
    throw new Error(`replica ${rank}: ${own.length} weights, replica 0 sent ${message.weights.length}`);
  }
  const weights = message.weights.map((values, i) => tf.tensor(values, own[i]!.shape, 'float32'));
  context.model.setWeights(weights);
  tf.dispose(weights);
  for (const [key, optimizer] of Object.entries(optimizers)) {
    const slots = message.optimizers[key] ?? [];
    if (slots.length === 0) continue;
    const named: { name: string; tensor: Tensor }[] = slots.map((s) => ({
      name: s.name,
      tensor: tf.tensor(s.data, s.shape, s.dtype),
    }));
    await optimizer.setWeights(named);
    tf.dispose(named.map((n) => n.tensor));
  }
  context.strategy.restore(message.strategy);
}

function step(message: StepMessage, context: StepContext): void {
  steps += 1;
  const shard = shardToBatch(message.shard);
  try {
    context.strategy.restore(message.strategy);
    setLearningRate(context.optimizer, message.learningRate);
    injectFault();
    const { losses } = stepper.step(context, shard, message.plan);
    if (message.norms) stepper.taskGradientNorms(context.model, context.tasks, shard, message.plan);
    // As replica 0 does after the step (the uncertainty strategies' running loss), so that this replica's
    // strategy equals replica 0's between steps too; GradNorm's update is replica 0's alone.
    else context.strategy.afterStep?.({ rawLosses: losses });
  } finally {
    disposeBatch(shard);
  }
}

/** Fault tests only: throw or end the thread in the middle of the chosen step (see `ReplicaFault`). */
function injectFault(): void {
  const fault = data.fault;
  if (fault === undefined || fault.rank !== rank || fault.step !== steps) return;
  if (fault.kind === 'exit') process.exit(1);
  throw new Error(`injected fault in step ${steps}`);
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

try {
  const { context, optimizers } = await setUp();
  port.on('message', (message: ToReplica) => {
    switch (message.type) {
      case 'sync':
        sync(message, context, optimizers).then(
          () => send({ type: 'synced' }),
          (err: unknown) => {
            collective.fail(rank, describe(err));
            send({ type: 'error', message: describe(err) });
          },
        );
        return;
      case 'step':
        try {
          step(message, context);
        } catch (err) {
          // Another replica's failure is that replica's to report; this one only stops.
          if (collective.failure() === undefined) collective.fail(rank, describe(err));
        }
        return;
      case 'probe':
        send({
          type: 'probe',
          rank,
          numTensors: tf.memory().numTensors,
          weights: context.model.trainableWeights.map((w) => w.read().dataSync() as Float32Array),
          weighting: context.strategy.snapshot(),
          steps,
        });
        return;
    }
  });
  send({ type: 'ready' });
} catch (err) {
  collective.fail(rank, `replica thread ${rank} could not start: ${describe(err)}`);
  send({ type: 'error', message: describe(err) });
}
