/**
 * The project's own step, in this process on the wasm backend with the project's kernels: `trainStep`
 * (src/model/train-step.ts) with the equal-weights strategy (the three losses summed), the project's Adam
 * and no weight decay (the torch port has none), or `model.predict` for inference.
 *
 * @packageDocumentation
 */
import type { Variable } from '@tensorflow/tfjs';
import { createWeightingOptimizer, resolveOptimizerSpec } from '../../src/model/optimizers.js';
import { trainStep, type StepContext } from '../../src/model/train-step.js';
import { TASKS } from '../../src/model/tasks.js';
import { createWeighting } from '../../src/model/weighting/index.js';
import { backendInfo, tf } from '../../src/tf/index.js';
import { projectAdam } from './export-tfjs.js';
import type { PreparedPhase, StepRunner, StepTiming } from './step-runner.js';

/** Runs the phase's tfjs network in this process. */
export class TfjsRunner implements StepRunner {
  readonly id = 'tfjs';
  readonly label = 'tfjs-wasm, 1 process';
  readonly framework = 'tfjs' as const;
  private run: (() => void) | undefined;
  private release: (() => void) | undefined;

  async start(): Promise<Record<string, unknown>> {
    return { backend: backendInfo() };
  }

  async prepare({ spec, model, batch }: PreparedPhase): Promise<string | undefined> {
    if (spec.kind === 'infer') {
      this.run = () => tf.dispose(model.predict(batch.images));
      this.release = undefined;
      return undefined;
    }
    const context: StepContext = {
      model,
      tasks: TASKS,
      strategy: createWeighting({ strategy: 'equal' }, TASKS),
      optimizer: projectAdam(),
      weightingOptimizer: createWeightingOptimizer(resolveOptimizerSpec({ name: 'adam' })),
      networkVariables: model.trainableWeights.map((w) => w.read() as Variable),
      decayed: new Set(),
      weightDecay: 0,
    };
    this.run = () => void trainStep(context, batch);
    this.release = () => {
      context.optimizer.dispose();
      context.weightingOptimizer.dispose();
      context.strategy.dispose();
    };
    return undefined;
  }

  async step(): Promise<StepTiming> {
    const cpu = process.cpuUsage();
    const start = performance.now();
    this.run!();
    const ms = performance.now() - start;
    const used = process.cpuUsage(cpu);
    return { ms, cpuMs: (used.user + used.system) / 1000 };
  }

  pids(): number[] {
    return [process.pid];
  }

  async finishPhase(): Promise<void> {
    this.release?.();
    this.run = undefined;
    this.release = undefined;
  }

  async close(): Promise<void> {}
}
