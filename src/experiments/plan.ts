/**
 * An experiment plan: rows (what is compared: tasks and a weighting) times seeds, every run a training
 * spec on one dataset with three disjoint splits (train, validation for choices, test for the report).
 * Pure: {@link planRuns} turns a plan into the runs it needs, each with a hash of everything that makes
 * its result, so that a stored result is reused only for the same run.
 *
 * @packageDocumentation
 */
import { createHash } from 'node:crypto';
import { ValidationError } from '../errors.js';
import type { Task } from '../model/tasks.js';
import { parseTrainingSpec, type TrainingSpec } from '../model/training-spec.js';

/**
 * The dataset every run of a plan trains and is scored on: generated synthetic scenes (three splits of
 * one seed; the generator mixes the split name into the seed, so the splits are disjoint streets), or a
 * CityScapes-layout directory inside DATA_DIR with three named splits.
 */
export type ExperimentDataset =
  | {
      kind: 'synthetic';
      train: number;
      validation: number;
      test: number;
      /** [height, width] of the generated images. */
      size: [number, number];
      seed: number;
    }
  | { kind: 'cityscapes'; path: string; trainSplit: string; validationSplit: string; testSplit: string };

/** What a row is, for the table: the baselines it is compared against and how "best fixed" is picked. */
export type RowGroup = 'single-task' | 'equal' | 'fixed' | 'learned';

/** One row of the comparison: a task set and a weighting, trained once per seed. */
export interface ExperimentRow {
  /** File-name safe id (`[a-z0-9.-]+`), the first part of each run's result file. */
  id: string;
  label: string;
  group: RowGroup;
  tasks: Task[];
  /** The training spec's `weighting` section. */
  weighting: Record<string, unknown>;
}

/** A plan: rows x seeds on one dataset, with the settings every run shares. */
export interface ExperimentPlan {
  /** Names the plan in reports (e.g. the bench profile). */
  name: string;
  dataset: ExperimentDataset;
  /** The training spec's `model` section. */
  model: { width: number; inputSize: [number, number] };
  /** The training spec's `training` section without `seed` (one per run) and `replicas` (always 1). */
  training: Record<string, unknown>;
  rows: ExperimentRow[];
  /** Each drives initialisation and data order (`training.seed`). */
  seeds: number[];
  /** Steps between two points of the recorded curves (losses averaged over them). */
  curveEvery: number;
}

/** What one run is: everything its result depends on (the spec hash covers exactly this). */
export interface RunSpec {
  dataset: ExperimentDataset;
  /** The training spec, defaults applied; its dataset section points at the prepared dataset. */
  training: TrainingSpec;
  curveEvery: number;
}

/** One run of a plan. */
export interface PlannedRun {
  /** `<row>-seed<k>`: also the name of its result file. */
  id: string;
  row: ExperimentRow;
  seed: number;
  spec: RunSpec;
  /** sha256 of the canonical JSON of `spec`. */
  specHash: string;
}

/** Row ids: lower-case letters, digits, dots and dashes. Why: they name files on every platform. */
const ROW_ID = /^[a-z0-9][a-z0-9.-]{0,79}$/;

/** Name of the prepared synthetic dataset (a folder under the runner's dataset root). */
export function syntheticDatasetName(dataset: Extract<ExperimentDataset, { kind: 'synthetic' }>): string {
  const [h, w] = dataset.size;
  return `experiment-${dataset.train}-${dataset.validation}-${dataset.test}-${h}x${w}-seed${dataset.seed}`;
}

/** The training spec's dataset section for the plan's dataset (a synthetic one is read as a prepared folder). */
export function trainingDataset(dataset: ExperimentDataset): TrainingSpec['dataset'] {
  return dataset.kind === 'synthetic'
    ? { kind: 'cityscapes', path: syntheticDatasetName(dataset), trainSplit: 'train', validationSplit: 'val' }
    : {
        kind: 'cityscapes',
        path: dataset.path,
        trainSplit: dataset.trainSplit,
        validationSplit: dataset.validationSplit,
      };
}

/** The split a plan's runs are finally scored on. */
export function testSplit(dataset: ExperimentDataset): string {
  return dataset.kind === 'synthetic' ? 'test' : dataset.testSplit;
}

/**
 * Every run of a plan, row by row and seed by seed, each with its full training spec (defaults applied,
 * one replica so that a run is the same on any machine) and spec hash.
 *
 * @throws ValidationError for a bad row id, duplicate rows or seeds, or a row whose spec is invalid
 *   (the message names the row).
 */
export function planRuns(plan: ExperimentPlan): PlannedRun[] {
  checkPlan(plan);
  return plan.rows.flatMap((row) =>
    plan.seeds.map((seed) => {
      const spec: RunSpec = {
        dataset: plan.dataset,
        training: rowSpec(plan, row, seed),
        curveEvery: plan.curveEvery,
      };
      return { id: runId(row.id, seed), row, seed, spec, specHash: specHash(spec) };
    }),
  );
}

/** `<row>-seed<k>`. */
export function runId(rowId: string, seed: number): string {
  return `${rowId}-seed${seed}`;
}

/** sha256 (hex) of the canonical JSON (keys sorted) of a value. */
export function specHash(value: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(value)))
    .digest('hex');
}

/** A copy with every object's keys sorted, so equal values give equal JSON. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

function rowSpec(plan: ExperimentPlan, row: ExperimentRow, seed: number): TrainingSpec {
  try {
    return parseTrainingSpec({
      dataset: trainingDataset(plan.dataset),
      tasks: row.tasks,
      weighting: row.weighting,
      model: plan.model,
      training: { ...plan.training, seed, replicas: 1 },
    });
  } catch (error) {
    if (error instanceof ValidationError) {
      throw new ValidationError(`experiment row ${row.id}: ${error.message}`, error.details as never);
    }
    throw error;
  }
}

function checkPlan(plan: ExperimentPlan): void {
  const fail = (message: string): never => {
    throw new ValidationError(`experiment plan ${plan.name}: ${message}`);
  };
  if (plan.rows.length === 0) fail('needs at least one row');
  if (plan.seeds.length === 0) fail('needs at least one seed');
  if (!Number.isInteger(plan.curveEvery) || plan.curveEvery < 1) fail('curveEvery must be an integer >= 1');
  const ids = new Set<string>();
  for (const row of plan.rows) {
    if (!ROW_ID.test(row.id)) fail(`row id "${row.id}" must match ${String(ROW_ID)}`);
    if (ids.has(row.id)) fail(`row id "${row.id}" appears twice`);
    ids.add(row.id);
  }
  if (new Set(plan.seeds).size !== plan.seeds.length) fail('seeds must be distinct');
}
