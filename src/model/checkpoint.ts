/**
 * Checkpoints of a training run: this module owns their layout on disk, and nothing else reads it. A
 * checkpoint is a directory (see {@link checkpointName}) holding the model (`model/`), every optimiser's
 * slots (`optimizers.bin`) and `state.json`: the position, the weighting strategy's state, the offsets of
 * the optimiser slots and the run's own record (history, resume key, partial epoch; under `extra`).
 *
 * @packageDocumentation
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LayersModel, Optimizer, Tensor } from '@tensorflow/tfjs';
import { fileSystemHandler, tf } from '../tf/index.js';
import type { EpochSummary, PartialEpoch } from './training-progress.js';
import type { StrategyState } from './weighting/index.js';

/** Version of the checkpoint layout written into state.json; bumped on incompatible changes. */
export const CHECKPOINT_VERSION = 1;
/** The JSON file of a checkpoint. Why JSON: a person can read where a run stands with `cat`. */
const STATE_FILE = 'state.json';
/** Directory names: `epoch-0003` after 3 whole epochs, `epoch-0003-step-000012` 12 steps into the 4th. */
const CHECKPOINT_DIR = /^epoch-(\d{4})(?:-step-(\d{6}))?$/;
/** The pattern of a checkpoint's name, for request schemas. */
export const CHECKPOINT_NAME_PATTERN = CHECKPOINT_DIR.source;

/** Where training stands: `epoch` whole epochs done, plus `stepInEpoch` steps of the next one. */
export interface TrainingPosition {
  epoch: number;
  stepInEpoch: number;
  globalStep: number;
}

/** The training run's own record, kept with every checkpoint so that a resumed run continues exactly. */
export interface RunRecord {
  /** Finished epochs so far. */
  history: EpochSummary[];
  /** What is being trained (e.g. a hash of the spec), when the run has such a key. */
  resumeKey?: string;
  /** The sums of the epoch in progress, in a mid-epoch checkpoint. */
  partial?: PartialEpoch;
}

/** What {@link restoreCheckpoint} gives back besides the tensors it restored. */
export interface RestoredCheckpoint extends TrainingPosition {
  /** To hand to the weighting strategy's `restore`. */
  strategy: StrategyState;
  run: RunRecord;
}

/** `state.json`: everything besides tensors that a resumed run needs to continue exactly. */
interface StateFile extends TrainingPosition {
  version: number;
  createdAt: string;
  strategy: StrategyState;
  /** The {@link RunRecord} (the name predates it; kept so older checkpoints still resume). */
  extra: Partial<RunRecord>;
  optimizers: Record<string, SavedTensorSpec[]>;
}

/** A tensor with the name an optimiser knows it by (tfjs' own NamedTensor is not exported). */
interface NamedTensor {
  name: string;
  tensor: Tensor;
}

interface SavedTensorSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  /** Byte offset into optimizers.bin. */
  offset: number;
}

/** A checkpoint found on disk. */
export interface CheckpointRef extends TrainingPosition {
  dir: string;
  name: string;
}

/** The directory name of a checkpoint at a position (see {@link CHECKPOINT_DIR}). */
export function checkpointName({
  epoch,
  stepInEpoch,
}: Pick<TrainingPosition, 'epoch' | 'stepInEpoch'>): string {
  const base = `epoch-${String(epoch).padStart(4, '0')}`;
  return stepInEpoch === 0 ? base : `${base}-step-${String(stepInEpoch).padStart(6, '0')}`;
}

/**
 * Writes a checkpoint: the model (tfjs layers format, batch-norm statistics included), every optimiser's
 * slots, the weighting strategy's state and the run's record. Written to a temporary directory and renamed
 * into place, so a crash never leaves a half-written checkpoint that looks complete.
 */
export async function saveCheckpoint(args: {
  root: string;
  position: TrainingPosition;
  model: LayersModel;
  optimizers: Record<string, Optimizer>;
  strategy: StrategyState;
  run: RunRecord;
}): Promise<CheckpointRef> {
  const { root, position, model, optimizers, strategy, run } = args;
  const name = checkpointName(position);
  const dir = join(root, name);
  const tmp = join(root, `.${name}.tmp-${process.pid}`);
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  await model.save(fileSystemHandler(join(tmp, 'model')));

  const specs: Record<string, SavedTensorSpec[]> = {};
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const [key, optimizer] of Object.entries(optimizers)) {
    const weights = optimizer.iterations > 0 ? await optimizer.getWeights() : [];
    specs[key] = [];
    for (const { name: tensorName, tensor } of weights) {
      const data = await tensor.data();
      const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      specs[key].push({
        name: tensorName,
        shape: tensor.shape,
        dtype: tensor.dtype as 'float32' | 'int32',
        offset,
      });
      chunks.push(Buffer.from(bytes));
      offset += bytes.length;
    }
    // getWeights() returns a fresh iterations scalar; the moment variables stay owned by the optimiser.
    weights[0]?.tensor.dispose();
  }
  await writeFile(join(tmp, 'optimizers.bin'), Buffer.concat(chunks));
  const state: StateFile = {
    version: CHECKPOINT_VERSION,
    createdAt: new Date().toISOString(),
    ...position,
    strategy,
    extra: {
      history: run.history,
      ...(run.resumeKey !== undefined ? { resumeKey: run.resumeKey } : {}),
      ...(run.partial ? { partial: run.partial } : {}),
    },
    optimizers: specs,
  };
  await writeFile(join(tmp, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  return { dir, name, ...position };
}

/** Complete checkpoints under `root`, oldest first (incomplete temporaries are skipped). */
export async function listCheckpoints(root: string): Promise<CheckpointRef[]> {
  const entries = await readdir(root, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const refs: CheckpointRef[] = [];
  for (const entry of entries) {
    const match = entry.isDirectory() ? CHECKPOINT_DIR.exec(entry.name) : null;
    if (match === null) continue;
    const dir = join(root, entry.name);
    const state = await readState(dir).catch(() => undefined);
    if (state === undefined) continue;
    refs.push({
      dir,
      name: entry.name,
      epoch: state.epoch,
      stepInEpoch: state.stepInEpoch,
      globalStep: state.globalStep,
    });
  }
  return refs.sort((a, b) => a.globalStep - b.globalStep);
}

/** The newest complete checkpoint under `root`, if any. */
export async function latestCheckpoint(root: string): Promise<CheckpointRef | undefined> {
  return (await listCheckpoints(root)).at(-1);
}

/**
 * Restores a checkpoint into an existing model and optimisers (created the same way as when it was saved)
 * and returns the rest; the caller restores the strategy from `strategy`.
 */
export async function restoreCheckpoint(args: {
  ref: CheckpointRef;
  model: LayersModel;
  optimizers: Record<string, Optimizer>;
}): Promise<RestoredCheckpoint> {
  const { ref, model, optimizers } = args;
  const state = await readState(ref.dir);
  const saved = await tf.loadLayersModel(fileSystemHandler(join(ref.dir, 'model')));
  try {
    model.setWeights(saved.getWeights());
  } finally {
    saved.dispose();
  }
  const bytes = await readFile(join(ref.dir, 'optimizers.bin'));
  for (const [key, optimizer] of Object.entries(optimizers)) {
    const specs = state.optimizers[key] ?? [];
    if (specs.length === 0) continue;
    const named: NamedTensor[] = specs.map((spec) => {
      const size = spec.shape.reduce((a, b) => a * b, 1);
      const copy = bytes.subarray(spec.offset, spec.offset + size * 4);
      const values =
        spec.dtype === 'int32'
          ? new Int32Array(copy.buffer.slice(copy.byteOffset, copy.byteOffset + copy.byteLength))
          : new Float32Array(copy.buffer.slice(copy.byteOffset, copy.byteOffset + copy.byteLength));
      return { name: spec.name, tensor: tf.tensor(values, spec.shape, spec.dtype) };
    });
    await optimizer.setWeights(named);
    // setWeights copies each tensor into a new variable; the loaded tensors are ours to free.
    tf.dispose(named.map((n) => n.tensor));
  }
  const { epoch, stepInEpoch, globalStep, strategy, extra } = state;
  return { epoch, stepInEpoch, globalStep, strategy, run: runRecord(extra) };
}

/**
 * The per-epoch history kept in the checkpoint at `dir` (e.g. to show a resumed job's finished epochs before
 * it trains again).
 *
 * @returns The history, or undefined when the checkpoint cannot be read or keeps none.
 */
export async function readCheckpointHistory(dir: string): Promise<EpochSummary[] | undefined> {
  try {
    const { extra } = await readState(dir);
    return Array.isArray(extra?.history) ? extra.history : undefined;
  } catch {
    return undefined;
  }
}

/** What a checkpoint holds besides tensors, as {@link readCheckpointRecord} reads it. */
export interface CheckpointRecord extends TrainingPosition {
  /** The weighting strategy's state (its `restore` takes it). */
  strategy: StrategyState;
  run: RunRecord;
}

/**
 * Reads a checkpoint's position, weighting state and run record without loading its tensors (e.g. to
 * describe a model promoted from it).
 *
 * @throws When state.json is missing, not JSON or of another version.
 */
export async function readCheckpointRecord(dir: string): Promise<CheckpointRecord> {
  const { epoch, stepInEpoch, globalStep, strategy, extra } = await readState(dir);
  return { epoch, stepInEpoch, globalStep, strategy, run: runRecord(extra) };
}

/** Whether `name` has the form of a checkpoint directory (`epoch-0003`, `epoch-0003-step-000012`). */
export function isCheckpointName(name: string): boolean {
  return CHECKPOINT_DIR.test(name);
}

/** The run record of a state file; a checkpoint without a history has finished no epoch. */
function runRecord(extra: Partial<RunRecord> | undefined): RunRecord {
  return {
    history: extra?.history ?? [],
    ...(extra?.resumeKey !== undefined ? { resumeKey: extra.resumeKey } : {}),
    ...(extra?.partial !== undefined ? { partial: extra.partial } : {}),
  };
}

async function readState(dir: string): Promise<StateFile> {
  const state = JSON.parse(await readFile(join(dir, STATE_FILE), 'utf8')) as StateFile;
  if (state.version !== CHECKPOINT_VERSION) {
    throw new Error(`checkpoint ${dir} has version ${state.version}, expected ${CHECKPOINT_VERSION}`);
  }
  return state;
}
