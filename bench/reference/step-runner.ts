/**
 * The contract between bench/vs-pytorch.ts and each thing it times: tfjs in this process, a torch worker
 * at a thread count, and tfjs over replicas (`training.replicas`). A new row of the results
 * is one more {@link StepRunner} in the benchmark's list.
 *
 * @packageDocumentation
 */
import type { LayersModel } from '@tensorflow/tfjs';
import type { BatchTargets, SceneBatch } from '../../src/data/batch.js';

/** One timed workload. */
export interface PhaseSpec {
  /** Row title, e.g. "train step 64x128". */
  name: string;
  /** A training step (forward, the three losses summed, backward, Adam) or an inference forward pass. */
  kind: 'train' | 'infer';
  batch: number;
  inputSize: [number, number];
  /** Untimed steps of every runner before the timed ones. */
  warmup: number;
  /** Timed steps of every runner (interleaved: one step of each runner in turn). */
  steps: number;
}

/** A phase ready to run: the tfjs network and batch, and the same exported for other processes. */
export interface PreparedPhase {
  spec: PhaseSpec;
  /** The network of this phase (seeded); the in-process runner trains or runs this one. */
  model: LayersModel;
  batch: SceneBatch & BatchTargets;
  /** bench/reference/tensor-bundle.ts bundle of the network's weights and the batch, for the torch workers. */
  bundleDir: string;
}

/** One timed step. */
export interface StepTiming {
  /** Wall time of the compute, ms (measured where it runs, so no pipe or scheduling is counted). */
  ms: number;
  /** CPU time of the runner's process over the step, ms (more than `ms` when it used several cores). */
  cpuMs: number;
}

/** Something the benchmark times. */
export interface StepRunner {
  /** Stable id, used by the targets (e.g. "tfjs", "torch-1"). */
  readonly id: string;
  /** Row label, e.g. "tfjs-wasm (this project)". */
  readonly label: string;
  readonly framework: 'tfjs' | 'torch';
  /** Starts what the runner needs (processes) and says what it runs; called once. */
  start(): Promise<Record<string, unknown>>;
  /** Sets up a phase. Returns undefined when ready, or why this runner does not run it. */
  prepare(phase: PreparedPhase): Promise<string | undefined>;
  step(): Promise<StepTiming>;
  /** Process ids whose CPU time counts as the benchmark's own. */
  pids(): number[];
  /** Releases what `prepare` set up. */
  finishPhase(): Promise<void>;
  close(): Promise<void>;
}

/** torch.profiler's view of one step of a torch worker. */
export interface TorchProfile {
  /** Costliest ops by self CPU time. */
  rows: { op: string; ms: number; calls: number }[];
  total_ms: number;
  /** Forward convolutions that ran on oneDNN and on im2col + BLAS (`aten::_slow_conv2d_forward`). */
  conv_paths: { onednn: number; blas: number };
}
