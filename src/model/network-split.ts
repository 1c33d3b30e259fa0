/**
 * The network cut into its shared trunk and one graph per task head, over the same layers and weights, so
 * that the heads of one prediction can run on different threads (predict-thread.ts: the sibling predictor
 * thread computes some heads while this one computes the others) and a prediction that needs only some
 * heads runs only those. Each part executes the very kernels the whole model does, so the outputs are
 * the whole model's to the bit (test/model/network-split.test.ts).
 *
 * @packageDocumentation
 */
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs';
import { tf } from '../tf/index.js';
import { TRUNK_OUTPUT_LAYERS } from './network.js';
import type { Task } from './tasks.js';

/** A network's trunk and heads as separate graphs ({@link splitNetwork}). */
export interface NetworkSplit {
  /** image -> the trunk features, in {@link TRUNK_OUTPUT_LAYERS}' order. */
  trunk: LayersModel;
  /** Each task's head: the trunk features -> the whole model's output for that task. */
  heads: Partial<Record<Task, LayersModel>>;
  /** Shape of each trunk feature without the batch dimension ([height, width, channels]). */
  featureShapes: number[][];
  /**
   * Frees what the split added: re-applying a layer counts one more user of its weights, so the heads
   * must be released before the whole model is disposed, or the model's dispose leaves their weights.
   */
  dispose(): void;
}

/**
 * Rebuilds `output`'s graph from the `cuts` (original tensor id -> new input) by applying the same layers
 * again, with the same call arguments. Returns undefined when the graph reaches the model's input without
 * passing a cut (the output does not depend on the trunk features alone).
 */
function reapply(output: SymbolicTensor, cuts: Map<number, SymbolicTensor>): SymbolicTensor | undefined {
  const rebuilt = new Map(cuts);
  const visit = (tensor: SymbolicTensor): SymbolicTensor | undefined => {
    const known = rebuilt.get(tensor.id);
    if (known !== undefined) return known;
    if (tensor.inputs.length === 0) return undefined; // the model's own input
    const inputs: SymbolicTensor[] = [];
    for (const input of tensor.inputs) {
      const again = visit(input);
      if (again === undefined) return undefined;
      inputs.push(again);
    }
    const applied = tensor.sourceLayer.apply(inputs.length === 1 ? inputs[0]! : inputs, tensor.callArgs);
    if (Array.isArray(applied)) return undefined; // a multi-output layer: not one of this network's
    rebuilt.set(tensor.id, applied as SymbolicTensor);
    return applied as SymbolicTensor;
  };
  return visit(output);
}

/**
 * Cuts a network built by `buildNetwork` (or loaded from one) into trunk and heads.
 *
 * @param model - The whole model; its outputs are the `tasks`' heads in that order.
 * @param tasks - The model's tasks, in the order of its outputs (canonical order).
 * @returns The split, or undefined for a graph without the trunk layers (a model of another layout).
 */
export function splitNetwork(model: LayersModel, tasks: readonly Task[]): NetworkSplit | undefined {
  let features: SymbolicTensor[];
  try {
    features = TRUNK_OUTPUT_LAYERS.map((name) => model.getLayer(name).getOutputAt(0) as SymbolicTensor);
  } catch {
    return undefined;
  }
  if (model.outputs.length !== tasks.length) return undefined;
  const featureShapes = features.map((f) => f.shape.slice(1) as number[]);
  const heads: Partial<Record<Task, LayersModel>> = {};
  const dispose = () => {
    for (const head of Object.values(heads)) head.dispose();
  };
  for (const [i, task] of tasks.entries()) {
    const inputs = featureShapes.map((shape, k) => tf.input({ shape, name: `${task}_trunk_feature_${k}` }));
    const cuts = new Map(features.map((feature, k) => [feature.id, inputs[k]!]));
    const output = reapply(model.outputs[i]!, cuts);
    if (output === undefined) {
      dispose();
      return undefined;
    }
    heads[task] = tf.model({ inputs, outputs: output, name: `${model.name}_${task}_head` });
  }
  // The trunk only reads existing nodes (no layer is applied again): it adds no user to any weight.
  const trunk = tf.model({ inputs: model.inputs, outputs: features, name: `${model.name}_trunk` });
  return { trunk, heads, featureShapes, dispose };
}
